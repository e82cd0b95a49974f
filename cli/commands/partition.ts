/**
 * `claims partition split`: a province's claims (and corrections) split by member into N files, one per
 * partition, each then replayed on its own machine (`claims replay part-… --partition I/N`).
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { MAX_PARTITIONS } from '../../shared/ledger/partition.js';
import { integerOption } from '../args.js';
import { CliError, UsageError } from '../errors.js';
import { BufferedOut, readLineBatches, writeOut } from '../io.js';
import { PartitionFilter } from '../partition.js';

export const PARTITION_HELP = `Usage: claims partition split FILE.jsonl|- --count N --output DIR

Splits a replay's input (claims and correction events, one per line) into N files by member:
DIR/part-IIII-of-NNNN.jsonl holds the lines of partition I (1 to N), in their order, unchanged. A claim
goes by the FNV-1a hash of its member.id; a reversal or replacement goes with the claim it names, a
resend with the claim first sent; lines that name no member, or a claim not seen before, go to
partition 1. claims replay FILE --partition I/N over the file of partition I settles exactly what
claims replay --partition I/N settles over the whole input (the line numbers are those of the file).
Every file is written, an empty partition as an empty file.

Options:
  --count N      the number of partitions (1 to ${MAX_PARTITIONS})
  --output DIR   the folder the files go to (made when missing)
  -h, --help     show this help

Exit status: 0 done; 1 unreadable input or unwritable folder; 64 usage.`;

/** The file name of partition `index` (0-based) of `count`: sorted names list the partitions in order. */
export function partitionFileName(index: number, count: number): string {
  const width = Math.max(4, String(count).length);
  return `part-${String(index + 1).padStart(width, '0')}-of-${String(count).padStart(width, '0')}.jsonl`;
}

async function close(stream: Writable, file: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    stream.once('error', (cause: NodeJS.ErrnoException) => reject(new CliError(`cannot write ${file}: ${cause.code ?? cause.message}`, 1, { cause })));
    stream.end(() => resolve());
  });
}

/** Runs `claims partition`; returns the exit status. */
export async function runPartition(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { count: { type: 'string' }, output: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    await writeOut(`${PARTITION_HELP}\n`);
    return 0;
  }
  const [action, file, ...rest] = positionals;
  if (action !== 'split' || file === undefined || rest.length > 0) throw new UsageError('claims partition takes split FILE (or - for standard input); see claims partition --help');
  if (values.count === undefined || values.output === undefined) throw new UsageError('claims partition split needs --count N and --output DIR');
  const count = integerOption('count', values.count, 1, 1, MAX_PARTITIONS);
  const dir = values.output;
  try {
    await mkdir(dir, { recursive: true });
  } catch (cause) {
    throw new CliError(`cannot make ${dir}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`, 1, { cause });
  }
  const files = Array.from({ length: count }, (_, i) => join(dir, partitionFileName(i, count)));
  const streams = files.map((path) => createWriteStream(path));
  const outs = streams.map((stream) => new BufferedOut(stream));
  const router = new PartitionFilter({ index: 0, count });
  const sizes = Array.from({ length: count }, () => 0);
  for await (const batch of readLineBatches(file)) {
    for (const text of batch) {
      if (text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        value = undefined;
      }
      const partition = router.route(value);
      sizes[partition] = (sizes[partition] as number) + 1;
      const drained = (outs[partition] as BufferedOut).write(`${text}\n`);
      if (drained) await drained;
    }
  }
  for (const [i, out] of outs.entries()) {
    await out.flush();
    await close(streams[i] as Writable, files[i] as string);
  }
  const lines = sizes.reduce((sum, size) => sum + size, 0);
  process.stderr.write(`claims partition split: ${lines} lines into ${count} files in ${dir} (largest ${Math.max(...sizes)}, smallest ${Math.min(...sizes)})\n`);
  return 0;
}
