/**
 * Inputs of the provincial commands: our settlements (from a settlements file, or settled here from a
 * claims file with carried totals), and a progress bar for long runs.
 */
import { stat } from 'node:fs/promises';
import { type Claim, parseClaimJson } from '../shared/contract/claim.js';
import { InvalidClaimError } from '../shared/contract/errors.js';
import { YearToDateLedger, settleAgainstLedger } from '../shared/engine/ledger.js';
import type { PolicyBook } from '../shared/policy/book.js';
import { InvalidRecordError } from '../shared/province/errors.js';
import { type SettlementRecord, parseSettlementLine } from '../shared/province/settlement-record.js';
import { CliError, UsageError } from './errors.js';
import { readLineBatches } from './io.js';
import { stderrIsTerminal } from './terminal.js';

/** True for a line `claims replay` or `claims settle --lines` wrote for an invalid claim. */
const isErrorLine = (line: string): boolean => line.startsWith('{"error":');

/**
 * Settlement records from a JSON Lines file: stored settlements (`{status, dischargedOn, settlement}`) or
 * settlement lines. Error lines of an invalid claim are skipped and counted in `skipped`.
 * @throws CliError naming the file and line of a record that is not a settlement.
 */
export async function* settlementRecords(file: string, skipped: { count: number } = { count: 0 }): AsyncGenerator<SettlementRecord> {
  let line = 0;
  for await (const batch of readLineBatches(file)) {
    for (const text of batch) {
      line += 1;
      if (text.trim() === '') continue;
      if (isErrorLine(text)) {
        skipped.count += 1;
        continue;
      }
      try {
        yield parseSettlementLine(text, file, line);
      } catch (cause) {
        if (cause instanceof InvalidRecordError) throw new CliError(cause.message, 1, { cause });
        throw cause;
      }
    }
  }
}

/**
 * Claims from a JSON Lines file, parsed; an invalid claim stops the run with its line number (a
 * statement or what-if over a partly unreadable file would be silently wrong).
 */
export async function* claimsOf(file: string, progress?: Progress): AsyncGenerator<Claim> {
  let line = 0;
  for await (const batch of readLineBatches(file)) {
    for (const text of batch) {
      line += 1;
      progress?.advance(Buffer.byteLength(text, 'utf8') + 1);
      if (text.trim() === '') continue;
      try {
        yield parseClaimJson(text);
      } catch (cause) {
        if (cause instanceof InvalidClaimError) throw new CliError(`${file} line ${line}: ${cause.message}`, 2, { cause });
        throw cause;
      }
    }
  }
}

/** Settlement records made here: the claims of `file` settled in order with carried totals, as `claims replay` does. */
export async function* settledFromClaims(file: string, book: PolicyBook): AsyncGenerator<SettlementRecord> {
  const ledger = new YearToDateLedger();
  for await (const claim of claimsOf(file)) {
    const settlement = settleAgainstLedger(claim, book, ledger);
    yield { status: settlement.status, dischargedOn: claim.visit.dischargedOn, settlement };
  }
}

/** Our side from `--settlements FILE` or `--claims FILE` (exactly one). */
export function ourSide(values: { settlements?: string | undefined; claims?: string | undefined }, book: PolicyBook, skipped?: { count: number }): AsyncGenerator<SettlementRecord> {
  if ((values.settlements === undefined) === (values.claims === undefined)) {
    throw new UsageError('give our side as exactly one of --settlements FILE (settlement JSON Lines) or --claims FILE (claims, settled here)');
  }
  return values.settlements !== undefined ? settlementRecords(values.settlements, skipped) : settledFromClaims(values.claims as string, book);
}

/**
 * A progress bar on stderr, drawn only when stderr is a terminal, at most four times a second: by
 * bytes of the input when its size is known, else a count.
 */
export class Progress {
  private readonly enabled = stderrIsTerminal();
  private bytes = 0;
  private items = 0;
  private lastDraw = 0;
  private readonly started = performance.now();

  private constructor(
    private readonly label: string,
    private readonly size: number | undefined,
  ) {}

  /** A bar for reading `file` (its size known unless it is standard input). */
  static async forFile(label: string, file: string): Promise<Progress> {
    let size: number | undefined;
    if (file !== '-') {
      try {
        size = (await stat(file)).size;
      } catch {
        size = undefined;
      }
    }
    return new Progress(label, size);
  }

  advance(bytes: number): void {
    this.bytes += bytes;
  }

  tick(items: number): void {
    this.items = items;
    if (!this.enabled || (items & 255) !== 0) return;
    const now = performance.now();
    if (now - this.lastDraw < 250) return;
    this.lastDraw = now;
    const rate = Math.round(items / ((now - this.started) / 1000));
    const width = 30;
    if (this.size !== undefined && this.size > 0) {
      const share = Math.min(1, this.bytes / this.size);
      const done = Math.round(share * width);
      process.stderr.write(`\r\x1b[K${this.label} [${'#'.repeat(done)}${'.'.repeat(width - done)}] ${Math.floor(share * 100)}% ${items} claims, ${rate}/s`);
    } else {
      process.stderr.write(`\r\x1b[K${this.label}: ${items} claims, ${rate}/s`);
    }
  }

  /** Clears the bar; returns the claims per second over the run. */
  finish(): number {
    if (this.enabled && this.lastDraw > 0) process.stderr.write('\r\x1b[K');
    const seconds = (performance.now() - this.started) / 1000;
    return seconds > 0 ? this.items / seconds : 0;
  }
}
