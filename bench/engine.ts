/**
 * Engine throughput on one core: validation (JSON text → Claim) and settlement (Claim → Settlement)
 * measured separately, for 1-, 20- and 200-line inpatient claims.
 */
import { parseClaimJson } from '../shared/contract/claim.js';
import { settle } from '../shared/engine/settle.js';
import { builtInPolicyBook } from '../shared/policy/book.js';
import { inpatientClaim } from './claims.js';
import { type Rate, measureRate } from './measure.js';

export interface EngineRow {
  readonly lines: number;
  readonly validation: Rate;
  readonly settlement: Rate;
  readonly both: Rate;
}

/** Measures the engine for each claim size. */
export function benchEngine(sizes: readonly number[] = [1, 20, 200], seconds = 2): EngineRow[] {
  const book = builtInPolicyBook();
  return sizes.map((lines) => {
    const text = JSON.stringify(inpatientClaim(lines));
    const claim = parseClaimJson(text);
    const batch = lines >= 200 ? 20 : 200;
    const validation = measureRate(() => parseClaimJson(text), { seconds, batch });
    const settlement = measureRate(() => settle(claim, book), { seconds, batch });
    const both = measureRate(() => settle(parseClaimJson(text), book), { seconds, batch });
    return { lines, validation, settlement, both };
  });
}
