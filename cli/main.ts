#!/usr/bin/env node
/**
 * The `claims` command line: the settlement engine on one machine, no AWS needed.
 */
import { CliError, UsageError } from './errors.js';
import { runGenerate } from './commands/generate.js';
import { runPolicies } from './commands/policies.js';
import { runReplay } from './commands/replay.js';
import { runSettle } from './commands/settle.js';
import { runRegistry } from './commands/registry.js';

const HELP = `Usage: claims COMMAND [options]

Settles claims of China's urban-rural resident basic medical insurance (城乡居民基本医疗保险) on one machine.

Commands:
  settle FILE|-          settle one claim (or JSON Lines with --lines) against its own yearToDate
  replay FILE.jsonl|-    settle a stream of claims in order, carrying each member's year-to-date totals
  replay --generate N    the same over N generated sample claims
  generate               write sample claims as JSON Lines (a county's year)
  policies               list the policies: tiers, care paths paid and gaps, clauses
  help                   show this help

Run claims COMMAND --help for the options of a command.

Exit status: 0 done; 2 invalid claim; 64 usage error; 1 other errors.`;

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  settle: runSettle,
  replay: runReplay,
  generate: runGenerate,
  policies: runPolicies,
  registry: runRegistry,
};

// A reader that stops early (`claims generate | head`) closes the pipe: that ends the run quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (command === undefined) throw new UsageError('missing COMMAND; see claims --help');
  const run = COMMANDS[command];
  if (!run) throw new UsageError(`unknown command ${command}; see claims --help`);
  return run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof CliError) {
      process.stderr.write(`claims: ${error.message}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    // parseArgs reports unknown options as TypeErrors with a code: treat them as usage errors.
    const code = (error as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`claims: ${(error as Error).message}\n`);
      process.exitCode = 64;
      return;
    }
    process.stderr.write(`claims: internal error: ${(error as Error).message ?? String(error)}\n`);
    process.exitCode = 70;
  },
);
