/** Shared helpers of the provincial-side tests: the worked cases, settled. */
import { type Claim, parseClaim } from '../../shared/contract/claim.js';
import { settle } from '../../shared/engine/settle.js';
import type { Settlement } from '../../shared/engine/settlement.js';
import { builtInPolicyBook } from '../../shared/policy/book.js';
import { workedCases } from '../support/cases.js';

export interface SettledCase {
  readonly id: string;
  readonly claim: Claim;
  readonly settlement: Settlement;
}

/** Every worked case, settled with the built-in packs. */
export function settledCases(): SettledCase[] {
  return workedCases().map((workedCase) => {
    const claim = parseClaim(workedCase.claim);
    return { id: workedCase.id, claim, settlement: settle(claim, builtInPolicyBook()) };
  });
}
