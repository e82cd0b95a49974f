/**
 * `claims replay FILE.jsonl|-`: settles a stream of claims in order, carrying each member's
 * year-to-date totals from claim to claim, as the pipeline does with its stored totals.
 */
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import type { PolicyBook } from '../../shared/policy/book.js';
import { type GenerateOptions, generateClaims } from '../sample/generate.js';
import { integerOption, optionalInteger } from '../args.js';
import { CliError, EXIT_NOTHING, UsageError, warn } from '../errors.js';
import { readLineBatches, writeOut } from '../io.js';
import { ReplayOut } from '../replay-out.js';
import { loadPolicyBook } from '../policy-files.js';
import { ReplayCore, type ReplayFormat, type ReplayInput } from '../replay-core.js';
import { ParallelReplay } from '../replay-parallel.js';
import { formatSummary } from '../replay-summary.js';
import { PartitionFilter, partitionOption } from '../partition.js';
import { BadLines, TERMINAL_RULE, heldBackNote, recordSink, stderrIsTerminal } from '../terminal.js';

export const REPLAY_HELP = `Usage: claims replay FILE.jsonl|- [options]
       claims replay --generate N [--seed S] [options]

Settles claims (claim contract v1, one per line) in order, carrying each member's year-to-date totals
from claim to claim; a claim's own yearToDate is ignored. Arrival order is settlement order, as in the pipeline.
A claim id seen before is a resend: identical content is a no-op ({"status":"duplicate"}), different content a
{"error":"CONFLICTING_RESEND"} line that changes nothing. Corrections ride in the same stream:
  {"event":"reverse","hospitalId":"…","claimId":"…"}   {"event":"replace","claim":{…}}
each writes the corrected claim's line ("status":"reversed", or its new version) and one line per later claim
of the member-year whose amounts change (its new version, with version, adjustment per fund and cause).
Writes one settlement per line on stdout; an invalid line gives {"error":"INVALID_CLAIM","line":N,"issues":[…]}
and the replay goes on. A summary (counts, rejections by code, amounts per fund, claims/s) goes to stderr.

Options:
  --generate N          replay N generated sample claims instead of reading a file (see claims generate)
  --seed S              seed of the generated claims (default 1)
  --members M           members the generated claims are spread over (default N/4)
  --lines-per-claim K   item lines of every generated claim
  --summary FILE        also write the summary as JSON to FILE
  --output FILE         write the settlements to FILE instead of stdout
  --format FORMAT       json (default) or slip (slips separated by a blank line)
  --policies DIR        apply the operator policy files (*.json) of DIR over the built-in packs
  --workers W           settle on W worker threads, each owning a share of the members (default 1);
                        the output is the same, in the same order
  --partition I/N       settle only the members of partition I of N (1 to N; a hash of member.id), with
                        their corrections; claims summary merge adds the N summaries into the whole run's
  -h, --help            show this help

${TERMINAL_RULE}

Exit status: 0 done; 2 some line was not a valid claim or event, a conflicting resend or a refused correction; 3 no claims in the input; 1 other errors; 64 usage.`;

/** Redraws one status line on a terminal's stderr, at most a few times a second. */
class Progress {
  private lastDraw = 0;
  private readonly enabled = stderrIsTerminal();

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

/** Settles inputs one after the other in this thread and writes each answer. */
class InProcessReplay {
  readonly core: ReplayCore;

  constructor(
    book: PolicyBook,
    format: ReplayFormat,
    private readonly out: ReplayOut,
  ) {
    this.core = new ReplayCore(book, format);
  }

  /** Settles one input and queues its answer; a promise only when the output must drain first. */
  add(input: ReplayInput): Promise<void> | undefined {
    return this.out.text(this.core.answer(input));
  }
}

/** How many generated claims make one batch of input. */
const GENERATED_BATCH = 1024;

/**
 * Every input of the replay, in order, a batch at a time (one await per batch, not per claim): the
 * lines of the file, or the generated claims.
 */
async function* inputs(file: string | undefined, generate: GenerateOptions | undefined): AsyncGenerator<ReplayInput[]> {
  let line = 0;
  if (generate) {
    let batch: ReplayInput[] = [];
    for (const value of generateClaims(generate)) {
      line += 1;
      batch.push({ line, value });
      if (batch.length === GENERATED_BATCH) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
    return;
  }
  for await (const texts of readLineBatches(file as string)) {
    const batch: ReplayInput[] = [];
    for (const text of texts) {
      line += 1;
      if (text.trim() !== '') batch.push({ line, text });
    }
    yield batch;
  }
}

/** The replay in this thread: the lean path, and the one for a machine with one or two cores. */
async function replayInProcess(source: AsyncIterable<ReplayInput[]>, book: PolicyBook, format: ReplayFormat, out: ReplayOut, progress: Progress) {
  const replay = new InProcessReplay(book, format, out);
  for await (const batch of source) {
    for (const input of batch) {
      const drained = replay.add(input);
      if (drained) await drained;
      progress.tick(replay.core.tally.read);
    }
  }
  return { tally: replay.core.tally, members: replay.core.memberYears };
}

/** The replay over worker threads, each owning a share of the members. */
async function replayOnWorkers(source: AsyncIterable<ReplayInput[]>, workers: number, policies: string | undefined, format: ReplayFormat, out: ReplayOut, progress: Progress) {
  const replay = new ParallelReplay({ workers, policies, format, out, onProgress: (written) => progress.tick(written) });
  try {
    for await (const batch of source) {
      for (const input of batch) {
        const added = replay.add(input);
        if (added) await added;
      }
    }
    return await replay.finish();
  } catch (error) {
    await replay.abort();
    throw error;
  }
}

/** Where the settlements go: --output FILE, else stdout unless it is a terminal (the rule of terminal.ts). */
async function openSink(output: string | undefined): Promise<Writable | null> {
  if (output === undefined) return recordSink();
  const stream = createWriteStream(output);
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (cause: NodeJS.ErrnoException) => reject(new CliError(`cannot write ${output}: ${cause.code ?? cause.message}`, 1, { cause })));
  });
  return stream;
}

async function closeSink(sink: Writable | null, output: string | undefined): Promise<void> {
  if (sink === null || output === undefined) return;
  await new Promise<void>((resolve, reject) => {
    sink.once('error', (cause: NodeJS.ErrnoException) => reject(new CliError(`cannot write ${output}: ${cause.code ?? cause.message}`, 1, { cause })));
    sink.end(() => resolve());
  });
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
      output: { type: 'string' },
      workers: { type: 'string' },
      partition: { type: 'string' },
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
        count: integerOption('generate', values.generate, 0, 1),
        seed: integerOption('seed', values.seed, 1, 0, 0xffffffff),
        members: optionalInteger('members', values.members, 1),
        linesPerClaim: optionalInteger('lines-per-claim', values['lines-per-claim'], 1, 5000),
      }
    : undefined;

  const workers = integerOption('workers', values.workers, 1, 1, 64);
  const spec = partitionOption(values.partition);
  const partition = spec && new PartitionFilter(spec);

  // Loaded here even when workers load their own: a bad overlay is reported once, before any work.
  const book = await loadPolicyBook(values.policies);
  const started = performance.now();
  const progress = new Progress(started);
  const sink = await openSink(values.output);
  const badLines = new BadLines(positionals[0] ?? 'generated claims', 'not a valid claim');
  const out = new ReplayOut(sink, badLines, format === 'slip');
  const source = partition ? partition.inputs(inputs(positionals[0], generateOptions)) : inputs(positionals[0], generateOptions);
  const result =
    workers > 1 ? await replayOnWorkers(source, workers, values.policies, format, out, progress) : await replayInProcess(source, book, format, out, progress);
  await out.flush();
  await closeSink(sink, values.output);
  const seconds = (performance.now() - started) / 1000;
  progress.clear();

  const summary = partition ? partition.summary(result.tally.toJSON(seconds, result.members), book) : result.tally.toJSON(seconds, result.members);
  badLines.finish();
  process.stderr.write(`${formatSummary(summary)}\n`);
  if (sink === null && summary.claimsRead > 0) process.stderr.write(`${heldBackNote(summary.claimsRead, format === 'slip' ? 'slips' : 'settlements')} (or pass --output FILE)\n`);
  if (values.summary !== undefined) {
    try {
      await writeFile(values.summary, `${JSON.stringify(summary, null, 2)}\n`);
    } catch (cause) {
      throw new CliError(`cannot write the summary to ${values.summary}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`, 1, { cause });
    }
  }
  if (summary.claimsRead === 0) {
    const named = positionals[0] === '-' ? 'standard input' : positionals[0];
    warn(partition ? partition.emptyWarning(named ?? 'the generated claims') : `${named} has no claims: nothing was replayed`);
    return EXIT_NOTHING;
  }
  return summary.invalid + summary.conflictingResends + summary.correctionsRefused > 0 ? 2 : 0;
}
