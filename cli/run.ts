/**
 * The `claims` command line: the settlement engine on one machine, no AWS needed. Loaded by main.ts once
 * the Node version is known to be right.
 */
import { CliError, UsageError, oneLine } from './errors.js';
import { TERMINAL_RULE } from './terminal.js';

const HELP = `Usage: claims COMMAND [options]

Settles claims of China's urban-rural resident basic medical insurance (城乡居民基本医疗保险) on one machine.

Commands:
  settle FILE|-          settle one claim (or JSON Lines with --lines) against its own yearToDate
  replay FILE.jsonl|-    settle a stream of claims in order, carrying each member's year-to-date totals
  replay --generate N    the same over N generated sample claims
  generate               write sample claims as JSON Lines (a county's year)
  policies               list the policies: tiers, care paths paid and gaps, clauses
  export --format nhsa|fhir FILE|-
                         settlements as national setlinfo records or FHIR R4 ClaimResponses, validated
  statement --hospital ID --from D --to D
                         a hospital's statement for a period: funds, reversals, deposit, net to pay
  reconcile --hospital ID THEIRS.csv|jsonl
                         our settlements against a hospital's list: missing, extra, differing to the fen
  whatif CLAIMS.jsonl --policies DIR
                         a year of claims under the policies in force and under changed ones
  partition split FILE --count N --output DIR
                         split a replay's input by member into N files, one per partition
  summary merge SUMMARY.json…
                         the summaries of a run's partitions (replay --partition I/N) added into the run's
  registry load FILE     load the registry (members, hospitals, operators) and issue API keys
  catalogue check|load FILE
                         validate (and load) the agency catalogue the national gateway answers fee lines from
  keys issue|list|revoke API keys one by one: issue to a caller, list with ids and dates, revoke by id
  help                   show this help

Run claims COMMAND --help for the options of a command.

${TERMINAL_RULE}

Exit status: 0 done; 1 other errors (unreadable file, invalid policy overlay, a record that is not what
the command reads); 2 invalid claim (any line, with --lines or replay); 3 nothing to report (no claims
in the input, a hospital found nowhere, an empty counterpart file: a warning says which); 64 usage
error; 70 internal error. Every error is one line on stderr starting claims:.`;

type Command = (args: string[]) => Promise<number>;

// Each command is loaded when it is run: a HIS script calling `claims settle` should not pay for the
// AWS SDK the registry command needs, and start-up is what a one-claim call mostly costs.
const COMMANDS: Record<string, () => Promise<Command>> = {
  settle: async () => (await import('./commands/settle.js')).runSettle,
  replay: async () => (await import('./commands/replay.js')).runReplay,
  generate: async () => (await import('./commands/generate.js')).runGenerate,
  policies: async () => (await import('./commands/policies.js')).runPolicies,
  export: async () => (await import('./commands/export.js')).runExport,
  statement: async () => (await import('./commands/statement.js')).runStatement,
  reconcile: async () => (await import('./commands/reconcile.js')).runReconcile,
  whatif: async () => (await import('./commands/whatif.js')).runWhatIfCommand,
  summary: async () => (await import('./commands/summary.js')).runSummary,
  partition: async () => (await import('./commands/partition.js')).runPartition,
  registry: async () => (await import('./commands/registry.js')).runRegistry,
  catalogue: async () => (await import('./commands/catalogue.js')).runCatalogue,
  keys: async () => (await import('./commands/keys.js')).runKeys,
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
  const load = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!load) throw new UsageError(`unknown command ${command}; see claims --help`);
  return (await load())(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof CliError) {
      process.stderr.write(`claims: ${oneLine(error.message)}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    // parseArgs reports unknown options as TypeErrors with a code: treat them as usage errors.
    const code = (error as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`claims: ${oneLine((error as Error).message)}\n`);
      process.exitCode = 64;
      return;
    }
    process.stderr.write(`claims: internal error: ${oneLine((error as Error).message ?? String(error))}\n`);
    process.exitCode = 70;
  },
);
