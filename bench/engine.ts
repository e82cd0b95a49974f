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
import { pathToFileURL } from 'node:url';
import { type Rate, formatRate, measureRate } from './measure.js';

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

/** The targets of issue 18 on the 20-line claim: settlement alone within 20× its floor, validation + settlement within 2× the floor from JSON. */
export const ENGINE_TARGETS = { settleRatio: 20, bothRatio: 2 } as const;

/** The 20-line claim's ratios against the targets, as report rows (figure, measured, target, verdict). */
export function engineTargetRows(row: EngineRow): string[][] {
  const settleRatio = row.floor.perSecond / row.settlement.perSecond;
  const bothRatio = row.floorFromJson.perSecond / row.both.perSecond;
  const x = (ratio: number): string => `${ratio.toFixed(ratio < 10 ? 2 : 0)}×`;
  const verdict = (met: boolean): string => (met ? '**met**' : '**not met**');
  return [
    [`engine ÷ floor, settlement only (${row.lines} lines)`, `${x(settleRatio)} (${formatRate(row.settlement.perSecond)} vs ${formatRate(row.floor.perSecond)} claims/s)`, `within ${ENGINE_TARGETS.settleRatio}×`, verdict(settleRatio <= ENGINE_TARGETS.settleRatio)],
    [`engine ÷ floor, validation + settlement from JSON (${row.lines} lines)`, `${x(bothRatio)} (${formatRate(row.both.perSecond)} vs ${formatRate(row.floorFromJson.perSecond)} claims/s)`, `within ${ENGINE_TARGETS.bothRatio}×`, verdict(bothRatio <= ENGINE_TARGETS.bothRatio)],
  ];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [row] = benchEngine([20], Number(process.env['BENCH_SECONDS'] ?? '2'));
  if (row) for (const line of engineTargetRows(row)) process.stdout.write(`| ${line.join(' | ')} |\n`);
}
