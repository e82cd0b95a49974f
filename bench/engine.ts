/**
 * Engine throughput on one core: validation (JSON text → Claim) and settlement (Claim → Settlement)
 * measured separately, for 1-, 20- and 200-line inpatient claims, each beside the floor of the same
 * split (bench/floor.ts) measured in the same run: the ratio engine ÷ floor is the figure to watch.
 */
import { parseClaimJson } from '../shared/contract/claim.js';
import { settle } from '../shared/engine/settle.js';
import { builtInPolicyBook } from '../shared/policy/book.js';
import { inpatientClaim } from './claims.js';
import { floorFromJson, floorSettle, formatFen, prepareFloor } from './floor.js';
import { type Rate, measureRate } from './measure.js';

export interface EngineRow {
  readonly lines: number;
  readonly validation: Rate;
  readonly settlement: Rate;
  readonly both: Rate;
  /** The floor of settlement: the split from amounts already in fen. */
  readonly floor: Rate;
  /** The floor of validation + settlement: JSON.parse, amounts to fen, the split. */
  readonly floorFromJson: Rate;
}

/** Throws unless the floor gives the engine's amounts for this claim (a floor of a different split proves nothing). */
export function checkFloorAgrees(lines: number): void {
  const book = builtInPolicyBook();
  const input = inpatientClaim(lines);
  const result = settle(parseClaimJson(JSON.stringify(input)), book);
  const floor = floorSettle(prepareFloor(input));
  for (const key of ['total', 'fullOwnPay', 'preSelfPay', 'policyScope', 'deductible', 'basic', 'catastrophic', 'patient'] as const) {
    if (result.amounts[key] !== floor[key]) {
      throw new Error(`floor disagrees with the engine on the ${lines}-line claim: ${key} ${formatFen(floor[key])} ≠ ${formatFen(result.amounts[key])}`);
    }
  }
}

/** Measures the engine and its floor for each claim size. */
export function benchEngine(sizes: readonly number[] = [1, 20, 200], seconds = 2): EngineRow[] {
  const book = builtInPolicyBook();
  return sizes.map((lines) => {
    checkFloorAgrees(lines);
    const input = inpatientClaim(lines);
    const text = JSON.stringify(input);
    const claim = parseClaimJson(text);
    const prepared = prepareFloor(input);
    const batch = lines >= 200 ? 20 : 200;
    const validation = measureRate(() => parseClaimJson(text), { seconds, batch });
    const settlement = measureRate(() => settle(claim, book), { seconds, batch });
    const both = measureRate(() => settle(parseClaimJson(text), book), { seconds, batch });
    const floorBatch = lines >= 200 ? 500 : 5000;
    const floor = measureRate(() => floorSettle(prepared), { seconds, batch: floorBatch });
    const fromJson = measureRate(() => floorFromJson(text), { seconds, batch: lines >= 200 ? 50 : 500 });
    return { lines, validation, settlement, both, floor, floorFromJson: fromJson };
  });
}
