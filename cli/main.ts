#!/usr/bin/env node
/**
 * The `claims` command line: the settlement engine on one machine, no AWS needed.
 */
import { CliError, UsageError } from './errors.js';
import { runSettle } from './commands/settle.js';
import { runRegistry } from './commands/registry.js';

const HELP = `Usage: claims COMMAND [options]

Commands:
  settle FILE|-        settle one claim (or JSON Lines with --lines) against its own yearToDate
  help                 show this help

Run claims COMMAND --help for the options of a command.`;

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  settle: runSettle,
  registry: runRegistry,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${HELP}\n`);
    return command === undefined ? 64 : 0;
  }
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
