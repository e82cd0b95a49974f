/**
 * `claims replay FILE.jsonl|-`: settles a stream of claims in order, carrying each member's
 * year-to-date totals from claim to claim, as the pipeline does with its stored totals.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { type Claim, parseClaim, parseClaimJson } from '../../shared/contract/claim.js';
import { InvalidClaimError } from '../../shared/contract/errors.js';
import { YearToDateLedger, settleAgainstLedger } from '../../shared/engine/ledger.js';
import { type Settlement, settlementToJson } from '../../shared/engine/settlement.js';
import type { PolicyBook } from '../../shared/policy/book.js';
import { generateClaims } from '../../shared/sample/generate.js';
import { integerOption, optionalInteger } from '../args.js';
import { CliError, UsageError } from '../errors.js';
import { BufferedOut, readLineBatches, writeOut } from '../io.js';
import { loadPolicyBook } from '../policy-files.js';
import { formatSummary, ReplayTally } from '../replay-summary.js';
import { formatSlip } from '../slip.js';

export const REPLAY_HELP = `Usage: claims replay FILE.jsonl|- [options]
       claims replay --generate N [--seed S] [options]

Settles claims (claim contract v1, one per line) in order, carrying each member's year-to-date totals
from claim to claim; a claim's own yearToDate is ignored. Claims must come in discharge-date order per member.
Writes one settlement per line on stdout; an invalid line gives {"error":"INVALID_CLAIM","line":N,"issues":[…]}
and the replay goes on. A summary (counts, rejections by code, amounts per fund, claims/s) goes to stderr.

Options:
  --generate N          replay N generated sample claims instead of reading a file (see claims generate)
  --seed S              seed of the generated claims (default 1)
  --members M           members the generated claims are spread over (default N/4)
  --lines-per-claim K   item lines of every generated claim
  --summary FILE        also write the summary as JSON to FILE
  --format FORMAT       json (default) or slip (slips separated by a blank line)
  --policies DIR        apply the operator policy files (*.json) of DIR over the built-in packs
  -h, --help            show this help

Exit status: 0 done; 2 some line was not a valid claim; 1 other errors; 64 usage.`;

type Format = 'json' | 'slip';

/** One input to settle: a line of text, or an object the generator made. */
type Input = { readonly line: number; readonly text: string } | { readonly line: number; readonly value: unknown };

/** Redraws one status line on a terminal's stderr, at most a few times a second. */
class Progress {
  private lastDraw = 0;
  private readonly enabled = process.stderr.isTTY === true;

  constructor(private readonly started: number) {}

  tick(done: number): void {
    // Checking the clock is cheap but not free: look at it once every 512 claims.
    if (!this.enabled || (done & 511) !== 0) return;
    const now = performance.now();
    if (now - this.lastDraw < 250) return;
    this.lastDraw = now;
    const rate = Math.round(done / ((now - this.started) / 1000));
    process.stderr.write(`\r\x1b[Kreplay: ${done} claims, ${rate} claims/s`);
  }

  clear(): void {
    if (this.enabled && this.lastDraw > 0) process.stderr.write('\r\x1b[K');
  }
}

/** Settles inputs one after the other against one ledger and writes each answer. */
class Replayer {
  readonly ledger = new YearToDateLedger();
  readonly tally = new ReplayTally();
  private readonly out = new BufferedOut();

  constructor(
    private readonly book: PolicyBook,
    private readonly format: Format,
  ) {}

  async take(input: Input): Promise<void> {
    this.tally.read += 1;
    let text: string;
    try {
      const claim: Claim = 'text' in input ? parseClaimJson(input.text) : parseClaim(input.value);
      const settlement = settleAgainstLedger(claim, this.book, this.ledger);
      this.tally.add(settlement);
      text = this.render(settlement, claim);
    } catch (error) {
      if (!(error instanceof InvalidClaimError)) throw error;
      this.tally.invalid += 1;
      text = JSON.stringify({ error: error.code, line: input.line, issues: error.issues });
    }
    const separator = this.format === 'slip' && this.tally.read > 1 ? '\n' : '';
    await this.out.write(`${separator}${text}\n`);
  }

  private render(settlement: Settlement, claim: Claim): string {
    if (this.format === 'slip') return formatSlip(settlement, { hospitalTier: claim.hospital.tier });
    return JSON.stringify(settlementToJson(settlement));
  }

  finish(): Promise<void> {
    return this.out.flush();
  }
}

async function replayFile(file: string, replayer: Replayer, progress: Progress): Promise<void> {
  let line = 0;
  for await (const batch of readLineBatches(file)) {
    for (const text of batch) {
      line += 1;
      if (text.trim() === '') continue;
      await replayer.take({ line, text });
      progress.tick(replayer.tally.read);
    }
  }
}

async function replayGenerated(options: Parameters<typeof generateClaims>[0], replayer: Replayer, progress: Progress): Promise<void> {
  let line = 0;
  for (const value of generateClaims(options)) {
    line += 1;
    await replayer.take({ line, value });
    progress.tick(replayer.tally.read);
  }
}

/** Runs `claims replay`; returns the exit status. */
export async function runReplay(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      generate: { type: 'string' },
      seed: { type: 'string' },
      members: { type: 'string' },
      'lines-per-claim': { type: 'string' },
      summary: { type: 'string' },
      format: { type: 'string', default: 'json' },
      policies: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    await writeOut(`${REPLAY_HELP}\n`);
    return 0;
  }
  const format = values.format;
  if (format !== 'json' && format !== 'slip') throw new UsageError(`--format must be json or slip, not ${format}`);
  const generating = values.generate !== undefined;
  if (generating && positionals.length > 0) throw new UsageError('claims replay takes a FILE or --generate N, not both; see claims replay --help');
  if (!generating && positionals.length !== 1) throw new UsageError('claims replay takes one FILE (or - for standard input) or --generate N; see claims replay --help');
  if (!generating) {
    for (const name of ['seed', 'members', 'lines-per-claim'] as const) {
      if (values[name] !== undefined) throw new UsageError(`--${name} applies only with --generate`);
    }
  }
  const generateOptions = generating
    ? {
        count: integerOption('generate', values.generate, 0),
        seed: integerOption('seed', values.seed, 1, 0, 0xffffffff),
        members: optionalInteger('members', values.members, 1),
        linesPerClaim: optionalInteger('lines-per-claim', values['lines-per-claim'], 1, 5000),
      }
    : undefined;

  const book = await loadPolicyBook(values.policies);
  const replayer = new Replayer(book, format);
  const started = performance.now();
  const progress = new Progress(started);
  if (generateOptions) await replayGenerated(generateOptions, replayer, progress);
  else await replayFile(positionals[0] as string, replayer, progress);
  await replayer.finish();
  const seconds = (performance.now() - started) / 1000;
  progress.clear();

  const summary = replayer.tally.toJSON(seconds, replayer.ledger.size);
  process.stderr.write(`${formatSummary(summary)}\n`);
  if (values.summary !== undefined) {
    try {
      await writeFile(values.summary, `${JSON.stringify(summary, null, 2)}\n`);
    } catch (cause) {
      throw new CliError(`cannot write the summary to ${values.summary}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`, 1, { cause });
    }
  }
  return summary.invalid > 0 ? 2 : 0;
}
