/** Member partitions: FNV-1a-32 over the member id's UTF-8 bytes, and the `I/N` spec. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PartitionSpecError } from '../../shared/ledger/errors.js';
import { fnv1a32, formatPartitionSpec, parsePartitionSpec, partitionOf } from '../../shared/ledger/partition.js';

/** FNV-1a-32 the textbook way, over a byte buffer: what a splitter written elsewhere computes. */
function referenceFnv(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash >>> 0;
}

describe('fnv1a32', () => {
  it('gives the published test vectors of FNV-1a 32 bits', () => {
    // Act / Assess: the vectors of the FNV reference (draft-eastlake-fnv).
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('hashes the UTF-8 bytes of any string, Chinese, astral characters and lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 16 }), (text) => {
        // Act / Assess
        expect(fnv1a32(text)).toBe(referenceFnv(new TextEncoder().encode(text)));
      }),
    );
    expect(fnv1a32('成员-𠀀')).toBe(referenceFnv(Buffer.from('成员-𠀀', 'utf8')));
  });
});

describe('partitionOf', () => {
  it('puts every member in exactly one partition of N, the same one every time', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 64 }), fc.integer({ min: 1, max: 10_000 }), (member, count) => {
        // Act
        const partition = partitionOf(member, count);
        // Assess
        expect(partition).toBeGreaterThanOrEqual(0);
        expect(partition).toBeLessThan(count);
        expect(partitionOf(member, count)).toBe(partition);
      }),
    );
  });

  it('spreads generated member ids evenly: no partition of 7 holds more than 1.2 times its share', () => {
    // Prepare
    const members = Array.from({ length: 7000 }, (_, i) => `M-140702-${String(i).padStart(6, '0')}`);
    // Act
    const sizes = Array.from({ length: 7 }, () => 0);
    for (const member of members) sizes[partitionOf(member, 7)] = (sizes[partitionOf(member, 7)] as number) + 1;
    // Assess
    expect(Math.max(...sizes)).toBeLessThan(1.2 * 1000);
    expect(Math.min(...sizes)).toBeGreaterThan(0.8 * 1000);
  });
});

describe('parsePartitionSpec', () => {
  it('reads I/N counted from 1 into a 0-based index', () => {
    // Act / Assess
    expect(parsePartitionSpec('1/4')).toEqual({ index: 0, count: 4 });
    expect(parsePartitionSpec('4/4')).toEqual({ index: 3, count: 4 });
    expect(parsePartitionSpec('1/1')).toEqual({ index: 0, count: 1 });
    expect(formatPartitionSpec(parsePartitionSpec('7/10000'))).toBe('7/10000');
  });

  it.each([
    ['0/4', /I from 1 to N/],
    ['5/4', /I from 1 to N/],
    ['1/0', /N from 1 to 10000/],
    ['1/10001', /N from 1 to 10000/],
    ['1/', /must be I\/N/],
    ['1-4', /must be I\/N/],
    [' 1/4', /must be I\/N/],
    ['-1/4', /must be I\/N/],
    ['1.5/4', /must be I\/N/],
  ])('refuses %j, saying what is wrong', (text, message) => {
    // Act / Assess
    expect(() => parsePartitionSpec(text)).toThrow(PartitionSpecError);
    expect(() => parsePartitionSpec(text)).toThrow(message);
  });
});
