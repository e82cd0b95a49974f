/** The per-claim work of a replay, shared by the in-process replay and its worker threads. */
import { type Claim, parseClaim, parseClaimJson } from '../shared/contract/claim.js';
import { InvalidClaimError } from '../shared/contract/errors.js';
import { YearToDateLedger, settleAgainstLedger } from '../shared/engine/ledger.js';
import { type Settlement, settlementToJson } from '../shared/engine/settlement.js';
import type { PolicyBook } from '../shared/policy/book.js';
import { ReplayTally } from './replay-summary.js';
import { formatSlip } from './slip.js';

export type ReplayFormat = 'json' | 'slip';

/** One input to settle: a line of text, or an object the generator made. */
export type ReplayInput = { readonly line: number; readonly text: string } | { readonly line: number; readonly value: unknown };

/** The answer to an input that is not a valid claim, as replay writes it. */
export function invalidLine(line: number, error: InvalidClaimError): string {
  return JSON.stringify({ error: error.code, line, issues: error.issues });
}

/** Settles inputs in order against one ledger, counting as it goes; each answer is one text. */
export class ReplayCore {
  readonly ledger = new YearToDateLedger();
  readonly tally = new ReplayTally();

  constructor(
    private readonly book: PolicyBook,
    private readonly format: ReplayFormat,
  ) {}

  /**
   * The answer to one input: the settlement (JSON or slip), or the INVALID_CLAIM object naming the line.
   * Errors other than INVALID_CLAIM (an engine defect) propagate.
   */
  answer(input: ReplayInput): string {
    this.tally.read += 1;
    try {
      const claim: Claim = 'text' in input ? parseClaimJson(input.text) : parseClaim(input.value);
      const settlement = settleAgainstLedger(claim, this.book, this.ledger);
      this.tally.add(settlement);
      return this.render(settlement, claim);
    } catch (error) {
      if (!(error instanceof InvalidClaimError)) throw error;
      this.tally.invalid += 1;
      return invalidLine(input.line, error);
    }
  }

  private render(settlement: Settlement, claim: Claim): string {
    if (this.format === 'slip') return formatSlip(settlement, { hospitalTier: claim.hospital.tier });
    return JSON.stringify(settlementToJson(settlement));
  }
}
