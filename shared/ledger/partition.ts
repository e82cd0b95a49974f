/**
 * Member partitions: a province's year of claims split over N machines so that every member's claims
 * (hence every member-year and every correction of it) fall in exactly one partition. Each partition
 * is replayed on its own and the partition summaries add up to the province's.
 *
 * The partition of a member is `FNV-1a-32(UTF-8 bytes of member.id) mod N`, 0-based inside, written
 * 1-based (`I/N`, I from 1 to N) wherever a person reads or types it. The member id is hashed as the
 * claim carries it: the contract accepts an id only in its one canonical form (NFKC, shared/contract/ids.ts),
 * so two spellings of one member cannot land in two partitions. FNV-1a-32 is the public-domain hash of
 * Fowler, Noll and Vo (offset basis 0x811c9dc5, prime 0x01000193), chosen because it is a few lines in
 * any language: a splitter written elsewhere (a Glue or Athena job, a shell tool) puts each line in the
 * same partition as this code, byte for byte.
 */
import { PartitionSpecError } from './errors.js';

/** The most partitions a run may have (a Step Functions Distributed Map runs at most 10,000 children at once). */
export const MAX_PARTITIONS = 10_000;

/** One partition of a run: `index` is 0-based, `count` is N. */
export interface PartitionSpec {
  readonly index: number;
  readonly count: number;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a, 32 bits, over the UTF-8 bytes of `text` (encoded on the fly: no buffer is allocated). */
export function fnv1a32(text: string): number {
  let hash = FNV_OFFSET;
  const step = (byte: number): void => {
    hash = Math.imul(hash ^ byte, FNV_PRIME);
  };
  for (let i = 0; i < text.length; i += 1) {
    let code = text.codePointAt(i) as number;
    if (code > 0xffff) i += 1;
    else if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd; // a lone surrogate, as TextEncoder writes it
    if (code < 0x80) step(code);
    else if (code < 0x800) {
      step(0xc0 | (code >> 6));
      step(0x80 | (code & 0x3f));
    } else if (code < 0x10000) {
      step(0xe0 | (code >> 12));
      step(0x80 | ((code >> 6) & 0x3f));
      step(0x80 | (code & 0x3f));
    } else {
      step(0xf0 | (code >> 18));
      step(0x80 | ((code >> 12) & 0x3f));
      step(0x80 | ((code >> 6) & 0x3f));
      step(0x80 | (code & 0x3f));
    }
  }
  return hash >>> 0;
}

/** The 0-based partition of a member among `count`: FNV-1a-32 of its id, modulo `count`. */
export function partitionOf(memberId: string, count: number): number {
  return fnv1a32(memberId) % count;
}

/**
 * Reads `I/N` (1-based: `1/4` … `4/4`; N from 1 to {@link MAX_PARTITIONS}).
 * @throws PartitionSpecError saying what is wrong; the caller names its flag.
 */
export function parsePartitionSpec(text: string): PartitionSpec {
  const match = /^(\d{1,5})\/(\d{1,5})$/.exec(text);
  if (!match) throw new PartitionSpecError(`must be I/N (partition I of N, counted from 1, such as 1/4), not ${JSON.stringify(text)}`);
  const [i, n] = [Number(match[1]), Number(match[2])];
  if (n < 1 || n > MAX_PARTITIONS) throw new PartitionSpecError(`must have N from 1 to ${MAX_PARTITIONS}, not ${n} (in ${JSON.stringify(text)})`);
  if (i < 1 || i > n) throw new PartitionSpecError(`must have I from 1 to N (partitions are counted from 1), not ${i} of ${n}`);
  return { index: i - 1, count: n };
}

/** The spec as a person writes it: `I/N`, 1-based. */
export const formatPartitionSpec = (spec: PartitionSpec): string => `${spec.index + 1}/${spec.count}`;
