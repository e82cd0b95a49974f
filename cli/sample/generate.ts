/**
 * Sample claims that look like a county's year: mostly 晋中 2018, some 平阳 2019, 太原 2015 students
 * at the campus clinic, and a small share of claims the engine must reject.
 *
 * Pure and deterministic: one seeded PRNG (mulberry32) drives every choice, so the same options give
 * the same claims byte for byte, on every machine. Members recur across claims (a few heavy users most
 * of all) so that year-to-date totals accumulate and some cross the catastrophic threshold and the caps.
 * Claims come out in discharge-date order (globally, hence per member), which is the order a replay
 * must settle them in.
 */
import { addDays } from '../../shared/calendar/dates.js';
import type { ClaimInput } from '../../shared/contract/claim.js';
import { fitLines } from './bills.js';
import { Dice, mulberry32 } from './dice.js';
import { type Member, PREFIX_OF, type SampleRegion, newMember } from './members.js';
import { jinzhongClaim, pingyangClaim, shandongClaim, spoil, taiyuanClaim } from './regions.js';

export { mulberry32 } from './dice.js';

/** Options of {@link generateClaims}. */
export interface GenerateOptions {
  /** How many claims to generate. */
  readonly count: number;
  /** The PRNG seed; the same seed gives the same claims. Default 1. */
  readonly seed?: number;
  /** How many distinct members the claims are spread over. Default: a quarter of `count`, at least 20. */
  readonly members?: number;
  /** When set, every claim carries exactly this many item lines (for benchmarks). */
  readonly linesPerClaim?: number;
}

/**
 * Generates a year of sample claims, in discharge-date order.
 * @param options count, seed, members, linesPerClaim.
 */
export function* generateClaims(options: GenerateOptions): Generator<ClaimInput> {
  const count = Math.max(0, Math.floor(options.count));
  const dice = new Dice(mulberry32(options.seed ?? 1));
  const memberCount = Math.max(1, Math.floor(options.members ?? Math.max(20, Math.round(count / 4))));
  const members = new Map<number, Member>();
  const serial = new Map<SampleRegion, number>();

  for (let index = 0; index < count; index += 1) {
    // Skewed towards low member numbers: a few members come back often, most once or twice.
    const memberIndex = Math.min(memberCount - 1, Math.floor(memberCount * dice.next() ** 1.6));
    const dayOfYear = Math.floor((index * 365) / Math.max(1, count));
    let member = members.get(memberIndex);
    if (!member) {
      member = newMember(dice, memberIndex, dayOfYear);
      members.set(memberIndex, member);
    }
    const date = addDays(`${member.enrolment.year}-01-01`, dayOfYear);
    const draft =
      member.region === 'jinzhong'
        ? jinzhongClaim(dice, member, date)
        : member.region === 'pingyang'
          ? pingyangClaim(dice, member, date)
          : member.region === 'taiyuan'
            ? taiyuanClaim(dice, member, date)
            : shandongClaim(dice, member, date);
    spoil(dice, draft);
    if (member.birthDate > draft.visit.admittedOn) draft.visit.admittedOn = member.birthDate;
    if (draft.visit.type !== 'inpatient') draft.visit.admittedOn = draft.visit.dischargedOn;
    for (const item of draft.items) {
      if (item.date !== undefined && item.date > draft.visit.admittedOn) item.date = draft.visit.admittedOn;
    }
    member.lastDischarge = draft.visit.dischargedOn;
    const number = (serial.get(member.region) ?? 0) + 1;
    serial.set(member.region, number);
    const claim: ClaimInput = {
      claimId: `${PREFIX_OF[member.region]}-${member.enrolment.year}-${String(number).padStart(7, '0')}`,
      member: {
        id: member.id,
        region: member.region,
        birthDate: member.birthDate,
        categories: [...member.categories],
        enrolment: { ...member.enrolment },
      },
      hospital: draft.hospital,
      visit: draft.visit,
      items: options.linesPerClaim === undefined ? draft.items : fitLines(draft.items, options.linesPerClaim),
    };
    if (draft.submittedOn !== undefined) claim.submittedOn = draft.submittedOn;
    yield claim;
  }
}
