/**
 * `--partition I/N` of `claims replay` and `claims whatif`: only the lines of the members of partition I
 * go on to be settled (shared/ledger/partition.ts says how a member's partition is computed).
 *
 * Which partition a replay line belongs to:
 * - a claim: the partition of its `member.id`, unless a claim line with the same hospital id + claim id
 *   came earlier, in which case it goes where that one went (a resend is decided by the partition that
 *   holds the claim, whatever member it names);
 * - a reversal `{"event":"reverse","hospitalId","claimId"}` names no member: it goes where the claim it
 *   names went, as seen earlier in the stream; a replacement likewise follows the claim it replaces;
 * - a line no partition owns (not JSON, not an object, no member id, an unknown event, a correction of
 *   a claim not seen before) goes to partition 1, so that each is answered, counted and refused once.
 *
 * Claims and the corrections of claims seen go as the worker threads of `--workers` route them, so a
 * partition's output is the lines the unpartitioned replay writes for those members, with the same line
 * numbers. One case differs (docs/scale.md): an invalid claim line, then a valid claim with the same
 * hospital id + claim id for a member of another partition, which follows the invalid one.
 */
import { createHash } from 'node:crypto';
import { PartitionSpecError } from '../shared/ledger/errors.js';
import { type PartitionSpec, formatPartitionSpec, parsePartitionSpec, partitionOf } from '../shared/ledger/partition.js';
import type { PolicyBook } from '../shared/policy/book.js';
import { UsageError } from './errors.js';
import type { ReplayInput } from './replay-core.js';
import { claimKeyOf } from './replay-events.js';
import type { ReplaySummaryJson } from './replay-summary.js';

/** The policy set a summary was made with: its policies by id and version, and a digest of their content. */
export interface PolicySetStamp {
  readonly policies: readonly string[];
  readonly digest: string;
}

/** What a partition's summary adds to the replay summary, so that `claims summary merge` can check what it adds up. */
export interface PartitionStamp {
  /** N, and the partitions (1-based) this summary covers: one for a partition's run, several once merged. */
  readonly partition: { readonly count: number; readonly parts: readonly number[] };
  readonly policySet: PolicySetStamp;
  /** The discharge years of the claim lines read, sorted. */
  readonly years: readonly number[];
}

export type PartitionSummaryJson = ReplaySummaryJson & PartitionStamp;

/** The partition of `--partition I/N`, or undefined without the flag. @throws UsageError naming the flag. */
export function partitionOption(value: string | undefined): PartitionSpec | undefined {
  if (value === undefined) return undefined;
  try {
    return parsePartitionSpec(value);
  } catch (error) {
    if (error instanceof PartitionSpecError) throw new UsageError(`--partition ${error.message}`, { cause: error });
    throw error;
  }
}

/** The policy set of a book: `id version` of each policy and a SHA-256 of their validated documents. */
export function policySetStamp(book: PolicyBook): PolicySetStamp {
  const policies = [...book.policies].map(({ policy }) => policy).sort((a, b) => a.id.localeCompare(b.id));
  return {
    policies: policies.map((policy) => `${policy.id} ${policy.version}`),
    digest: `sha256:${createHash('sha256').update(JSON.stringify(policies)).digest('hex')}`,
  };
}

type Line = { event?: unknown; hospitalId?: unknown; claimId?: unknown; claim?: unknown; hospital?: { id?: unknown }; member?: { id?: unknown }; visit?: { dischargedOn?: unknown } };

const NO_OWNER = 0;

/** Routes lines to partitions, remembering where each claim went; keeps the lines of one partition. */
export class PartitionFilter {
  /** The partition of every claim line seen, by hospital id + claim id. */
  private readonly owners = new Map<string, number>();
  private readonly years = new Set<number>();
  /** Lines read, of every partition. */
  linesRead = 0;

  constructor(readonly spec: PartitionSpec) {}

  /** The 0-based partition of one input line, given as parsed JSON (or `undefined` when it is not JSON). */
  route(value: unknown): number {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return NO_OWNER;
    const line = value as Line;
    if (line.event === 'reverse') return this.owners.get(claimKeyOf(line.hospitalId, line.claimId)) ?? NO_OWNER;
    if (line.event === 'replace') {
      const claim = (line.claim ?? {}) as Line;
      return this.owners.get(claimKeyOf(claim.hospital?.id, claim.claimId)) ?? NO_OWNER;
    }
    if (line.event !== undefined) return NO_OWNER;
    const key = claimKeyOf(line.hospital?.id, line.claimId);
    const discharged = line.visit?.dischargedOn;
    if (typeof discharged === 'string' && /^\d{4}-/.test(discharged)) this.years.add(Number(discharged.slice(0, 4)));
    const seen = this.owners.get(key);
    if (seen !== undefined) return seen;
    const owner = typeof line.member?.id === 'string' ? partitionOf(line.member.id, this.spec.count) : NO_OWNER;
    this.owners.set(key, owner);
    return owner;
  }

  /** Whether an input of a replay belongs to this partition. */
  keeps(input: ReplayInput): boolean {
    this.linesRead += 1;
    let value: unknown;
    if ('value' in input) value = input.value;
    else {
      try {
        value = JSON.parse(input.text);
      } catch {
        value = undefined;
      }
    }
    return this.route(value) === this.spec.index;
  }

  /** The batches of a replay's input with only this partition's lines, their line numbers kept. */
  async *inputs(source: AsyncIterable<ReplayInput[]>): AsyncGenerator<ReplayInput[]> {
    for await (const batch of source) {
      const kept = batch.filter((input) => this.keeps(input));
      if (kept.length > 0) yield kept;
    }
  }

  /** The summary of this partition's run, stamped with the partition, the policy set and the years. */
  summary(summary: ReplaySummaryJson, book: PolicyBook): PartitionSummaryJson {
    return {
      ...summary,
      partition: { count: this.spec.count, parts: [this.spec.index + 1] },
      policySet: policySetStamp(book),
      years: [...this.years].sort((a, b) => a - b),
    };
  }

  /** The warning of a run that settled nothing. */
  emptyWarning(source: string): string {
    return this.linesRead === 0
      ? `${source} has no claims: nothing was replayed`
      : `partition ${formatPartitionSpec(this.spec)} holds none of the ${this.linesRead} lines of ${source}: nothing was replayed (its summary is zero)`;
  }
}

/** The claims of whatif's input whose member is in the partition (whatif reads claims only, no corrections). */
export async function* claimsOfPartition<T extends { readonly member: { readonly id: string } }>(claims: AsyncIterable<T>, spec: PartitionSpec): AsyncGenerator<T> {
  for await (const claim of claims) if (partitionOf(claim.member.id, spec.count) === spec.index) yield claim;
}
