/** `claims generate`: sample claims as JSON Lines, for replay, benchmarks and demonstrations. */
import { parseArgs } from 'node:util';
import { generateClaims } from '../sample/generate.js';
import { integerOption, optionalInteger } from '../args.js';
import { UsageError } from '../errors.js';
import { BufferedOut, writeOut } from '../io.js';
import { TERMINAL_RULE, heldBackNote, recordSink } from '../terminal.js';

export const GENERATE_HELP = `Usage: claims generate [--count N] [--seed S] [--members M] [--lines-per-claim K]

Writes a year of a county's sample claims as JSON Lines (claim contract v1) on stdout, in discharge-date
order: mostly 晋中 2018, some 平阳 2019, 太原 2015 students at the campus clinic, and a small share of
claims the engine must reject. The same options always give the same claims.

Options:
  --count N             how many claims (default 1000)
  --seed S              seed of the pseudo-random generator (default 1)
  --members M           members the claims are spread over (default N/4, at least 20)
  --lines-per-claim K   exactly K item lines per claim (for benchmarks)
  -h, --help            show this help

${TERMINAL_RULE}

Example: claims generate --count 100000 | claims replay -`;

/** Runs `claims generate`; returns the exit status. */
export async function runGenerate(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      count: { type: 'string' },
      seed: { type: 'string' },
      members: { type: 'string' },
      'lines-per-claim': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    await writeOut(`${GENERATE_HELP}\n`);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`claims generate takes no arguments, got ${positionals[0]}; see claims generate --help`);
  const options = {
    count: integerOption('count', values.count, 1000),
    seed: integerOption('seed', values.seed, 1, 0, 0xffffffff),
    members: optionalInteger('members', values.members, 1),
    linesPerClaim: optionalInteger('lines-per-claim', values['lines-per-claim'], 1, 5000),
  };
  const sink = recordSink();
  if (sink === null) {
    // Nothing would be kept: say how to keep the claims rather than make them for nobody.
    process.stderr.write(`${heldBackNote(options.count, 'sample claims')}\n`);
    return 0;
  }
  const out = new BufferedOut(sink);
  for (const claim of generateClaims(options)) {
    const drained = out.write(`${JSON.stringify(claim)}\n`);
    if (drained) await drained;
  }
  await out.flush();
  return 0;
}
