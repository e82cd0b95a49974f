/** The trace builder: every amount the engine sets is written here with its rule and arithmetic. */
import { type Fen, formatMoney } from '../money/money.js';
import type { Source } from '../policy/schema.js';
import type { TraceEntry } from './settlement.js';

/** Collects trace entries in the order the engine computes them. */
export class Trace {
  readonly entries: TraceEntry[] = [];

  /** Notes a step: where its rule comes from, the arithmetic, and the amount it set, if any. */
  note(step: string, source: Source, detail: string, amount?: Fen): void {
    const entry: { -readonly [K in keyof TraceEntry]: TraceEntry[K] } = { step, clause: source.clause, detail };
    if (source.reading !== undefined) entry.reading = source.reading;
    if (amount !== undefined) entry.amount = formatMoney(amount);
    this.entries.push(entry);
  }
}
