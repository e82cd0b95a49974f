/**
 * Write units per claim at each door, from item sizes as bench/write-cost.ts counts them (AWS's
 * item-size rules, not DynamoDB Local's ConsumedCapacity): 600 generated claims settled by the engine
 * with carried totals, each turned into the items the settle handler writes.
 *
 * - settled claim, all in: the accepted record's put at the door and its order-index entry, then
 *   the totals put that adds the claim to its member-year's chain and the update of the record into
 *   the settlement (billed on the larger of before and after); no transaction, no other index;
 * - duplicate: the settle handler's consistent read finds the settlement and writes nothing;
 * - batch or bulk claim: the same as a single claim (each door writes the same accepted record
 *   before queueing, docs/storage.md "Accepted claims and the sweeper", then the same settlement);
 * - a bulk line refused at admission: one standard put of its stored failure.
 *
 * `npm run bench:write-units` prints them.
 */
import { parseClaim } from '../shared/contract/claim.js';
import { yearOf } from '../shared/calendar/dates.js';
import { YearToDateLedger, settleAgainstLedger } from '../shared/engine/ledger.js';
import { builtInPolicyBook } from '../shared/policy/book.js';
import { generatedClaims } from '../local/generate.js';
import { itemSize, standardWriteUnits } from '../functions/storage/item-size.js';
import { settlementItem, totalsItem } from '../functions/storage/items.js';
import { claimFailureKey } from '../functions/storage/keys.js';
import { acceptedItem } from '../functions/storage/accepted.js';
import { acceptedWriteCost, settleOverAcceptedWriteCost } from './write-cost.js';

/** Write units per claim by door and case: [min, max] over the sample. */
export interface DoorWriteUnits {
  readonly settled: readonly [number, number];
  readonly rejected: readonly [number, number];
  readonly duplicate: number;
  readonly batchClaim: readonly [number, number];
  readonly bulkRefusedLine: number;
  readonly claims: number;
}

const span = (values: readonly number[]): [number, number] => [Math.min(...values), Math.max(...values)];

/** Measures the write units of the sample. */
export function measureDoorWriteUnits(members = 200, perMember = 3): DoorWriteUnits {
  const book = builtInPolicyBook();
  const ledger = new YearToDateLedger();
  const versions = new Map<string, number>();
  const lastOf = new Map<string, string>();
  const settled: number[] = [];
  const rejected: number[] = [];
  const at = new Date('2026-12-02T08:00:00.000Z').toISOString();
  const unitsOf = (claim: ReturnType<typeof parseClaim>, input: unknown): { units: number; status: string } => {
    const year = yearOf(claim.visit.dischargedOn);
    const before = ledger.get(claim.member.id, year);
    const settlement = settleAgainstLedger(claim, book, ledger);
    const chain = `${claim.member.id}#${year}`;
    const version = (versions.get(chain) ?? 0) + 1;
    versions.set(chain, version);
    const key = `C#${claim.hospital.id}#${claim.claimId}`;
    const previous = lastOf.get(chain);
    lastOf.set(chain, key);
    const accepted = acceptedItem(claim, input, at);
    const item = settlementItem(settlement, before, claim, at, previous);
    const totals = totalsItem(claim.member.id, year, ledger.get(claim.member.id, year), version, { last: key, lastBefore: before, ...(previous ? { lastPrevious: previous } : {}) });
    return { units: acceptedWriteCost(accepted).units + settleOverAcceptedWriteCost(accepted, item, totals).units, status: settlement.status };
  };
  for (const input of generatedClaims(members, perMember, 2026)) {
    const outcome = unitsOf(parseClaim(input), input);
    (outcome.status === 'settled' ? settled : rejected).push(outcome.units);
  }
  // The generated sample pays every claim; a rejected claim's cost comes from one at an undesignated hospital.
  const sample = generatedClaims(1, 1, 2026)[0] as { hospital: Record<string, unknown> };
  const refusedInput = { ...sample, claimId: 'REJECTED-1', hospital: { ...sample.hospital, designated: false } };
  const refused = unitsOf(parseClaim(refusedInput), refusedInput);
  if (refused.status === 'rejected') rejected.push(refused.units);
  // A refused bulk line's stored failure, with a typical field error list.
  const failure = {
    pk: { S: claimFailureKey('H-140702-class2-county-1', 'JZ-2018-000123') },
    data: {
      S: JSON.stringify({
        code: 'INVALID_CLAIM',
        message: 'line 17 of the upload was refused',
        details: { upload: 'uploads/H-140702-class2-county-1/2026-12-02/0b9e4c1e-3c1f-4a57-9f55-0d7c1c1f2a9b.jsonl', line: 17, issues: [{ path: 'items.0.amount', message: 'must be a yuan amount' }] },
        messageId: 'uploads/H-140702-class2-county-1/2026-12-02/0b9e4c1e-3c1f-4a57-9f55-0d7c1c1f2a9b.jsonl#17',
        at,
      }),
    },
  };
  return {
    settled: span(settled),
    rejected: span(rejected),
    duplicate: 0,
    batchClaim: span(settled),
    bulkRefusedLine: standardWriteUnits(itemSize(failure)),
    claims: settled.length + rejected.length,
  };
}

/** The lines `npm run bench:write-units` prints. */
export function writeUnitLines(units: DoorWriteUnits): string[] {
  const r = ([a, b]: readonly [number, number]) => (a === b ? `${a}` : `${a}–${b}`);
  return [
    `write units per claim, from item sizes (${units.claims} generated claims)`,
    `  settled claim (single door)     ${r(units.settled)}  (at the door the accepted put 1 + its order-index entry 1; then the totals put 1 and the record's update into the settlement 1; no transaction, no other index)   target ≤ 4: ${units.settled[1] <= 4 ? 'met' : 'NOT met'}`,
    `  rejected claim                  ${r(units.rejected)}  (as settled: a rejected claim joins its member-year's chain too)`,
    `  duplicate                       ${units.duplicate}  (the consistent read finds the settlement; nothing is written)`,
    `  batch or bulk claim             ${r(units.batchClaim)}  (as a single claim: the same accepted record at the door, then the same settlement)`,
    `  bulk line refused at admission  ${units.bulkRefusedLine}  (one standard put of its stored failure)`,
  ];
}

const isMain = process.argv[1]?.endsWith('write-units.js') ?? false;
if (isMain) console.log(writeUnitLines(measureDoorWriteUnits()).join('\n'));
