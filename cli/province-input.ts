/**
 * Inputs of the provincial commands: our settlements (from a settlements file, or settled here from a
 * claims file with carried totals), and a progress bar for long runs.
 */
import { stat } from 'node:fs/promises';
import { type Claim, parseClaimJson } from '../shared/contract/claim.js';
import { type FieldIssue, InvalidClaimError } from '../shared/contract/errors.js';
import { YearToDateLedger, settleAgainstLedger } from '../shared/engine/ledger.js';
import type { PolicyBook } from '../shared/policy/book.js';
import { InvalidRecordError } from '../shared/province/errors.js';
import { type SettlementRecord, parseSettlementLine } from '../shared/province/settlement-record.js';
import { CliError, EXIT_NOTHING, UsageError, warn } from './errors.js';
import { hintForSettlementLine, invalidClaimLine } from './hints.js';
import { readLineBatches } from './io.js';
import { BadLines, stderrIsTerminal } from './terminal.js';

/** True for a line `claims replay` or `claims settle --lines` wrote for an invalid claim. */
const isErrorLine = (line: string): boolean => line.startsWith('{"error":');

/** The issues of an error line, for naming it on a terminal; none when the line is not readable. */
function issuesOfErrorLine(text: string): FieldIssue[] {
  try {
    return (JSON.parse(text) as { issues?: FieldIssue[] }).issues ?? [];
  } catch {
    return [];
  }
}

/**
 * Settlement records from a JSON Lines file: stored settlements (`{status, dischargedOn, settlement}`) or
 * settlement lines. Error lines of an invalid claim are skipped, counted in `skipped` and, on a
 * terminal, named.
 * @throws CliError naming the file and line of a record that is not a settlement (with a hint when it is
 * a claim or CSV).
 */
export async function* settlementRecords(file: string, skipped: BadLines = new BadLines(file, 'error line of an invalid claim, skipped')): AsyncGenerator<SettlementRecord> {
  let line = 0;
  for await (const batch of readLineBatches(file)) {
    for (const text of batch) {
      line += 1;
      if (text.trim() === '') continue;
      if (isErrorLine(text)) {
        skipped.add(line, issuesOfErrorLine(text));
        continue;
      }
      try {
        yield parseSettlementLine(text, file, line);
      } catch (cause) {
        if (!(cause instanceof InvalidRecordError)) throw cause;
        // A claim or a CSV row fails on every field of a settlement: say what it is instead of listing them.
        const hint = hintForSettlementLine(text);
        throw new CliError(hint === undefined ? cause.message : `${file} line ${line} is not a settlement: ${hint}`, 1, { cause });
      }
    }
  }
  skipped.finish();
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
        if (cause instanceof InvalidClaimError) throw new CliError(`${file} line ${line}: ${invalidClaimLine(cause)}`, 2, { cause });
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
export function ourSide(values: { settlements?: string | undefined; claims?: string | undefined }, book: PolicyBook, skipped?: BadLines): AsyncGenerator<SettlementRecord> {
  if ((values.settlements === undefined) === (values.claims === undefined)) {
    throw new UsageError('give our side as exactly one of --settlements FILE (settlement JSON Lines) or --claims FILE (claims, settled here)');
  }
  return values.settlements !== undefined ? settlementRecords(values.settlements, skipped) : settledFromClaims(values.claims as string, book);
}

/**
 * Counts the records of our side and those of one hospital as they pass, so that a hospital id that
 * appears nowhere (a typo) is told apart from a hospital with nothing in the period.
 */
export class HospitalPresence {
  records = 0;
  ofHospital = 0;
  private readonly others = new Set<string>();

  constructor(
    readonly hospitalId: string,
    private readonly source: string,
  ) {}

  /** The records unchanged, counted. */
  async *watch(records: AsyncIterable<SettlementRecord>): AsyncGenerator<SettlementRecord> {
    for await (const record of records) {
      this.records += 1;
      if (record.settlement.hospitalId === this.hospitalId) this.ofHospital += 1;
      else if (this.others.size < 4) this.others.add(record.settlement.hospitalId);
      yield record;
    }
  }

  /**
   * Warns when the result cannot be what was meant (our side empty, or the hospital in none of its
   * records) and returns {@link EXIT_NOTHING}; otherwise undefined.
   */
  check(): number | undefined {
    if (this.records === 0) {
      warn(`${this.source} has no settlements or claims: every figure is zero`);
      return EXIT_NOTHING;
    }
    if (this.ofHospital === 0) {
      warn(`hospital ${this.hospitalId} is in none of the ${this.records} records of ${this.source} (they name ${[...this.others].slice(0, 3).join(', ')}${this.others.size > 3 ? ', …' : ''})`);
      return EXIT_NOTHING;
    }
    return undefined;
  }
}

/** The file our side is read from, as a warning names it. */
export const ourSource = (values: { settlements?: string | undefined; claims?: string | undefined }): string => {
  const file = values.settlements ?? values.claims ?? '-';
  return file === '-' ? 'standard input' : file;
};

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
