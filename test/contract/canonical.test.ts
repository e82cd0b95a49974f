import { describe, expect, it } from 'vitest';
import { parseClaim } from '../../shared/contract/claim.js';
import { canonicalClaimJson } from '../../shared/contract/canonical.js';
import { workedCase } from '../support/cases.js';

describe('canonicalClaimJson', () => {
  const first = workedCase('JZ01');

  it('gives one text for one claim whatever the key order and spelling of its JSON', () => {
    // Prepare: the same claim with its keys reversed at every depth and amounts spelled differently
    const reversed = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(reversed)
        : value !== null && typeof value === 'object'
          ? Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversed(v)]))
          : value;
    const raw = first!.claim as unknown;
    const respelled = JSON.parse(JSON.stringify(reversed(raw)).replace(/(\d+)\.(\d)0\b/g, '$1.$2'));

    // Act
    const a = canonicalClaimJson(parseClaim(raw));
    const b = canonicalClaimJson(parseClaim(respelled));

    // Assess
    expect(b).toBe(a);
  });

  it('differs when any amount differs', () => {
    // Prepare
    const raw = structuredClone(first!.claim) as { items: { amount: number | string }[] };
    const changed = structuredClone(raw);
    changed.items[0]!.amount = String(Number(changed.items[0]!.amount) + 1);

    // Act / Assess
    expect(canonicalClaimJson(parseClaim(changed))).not.toBe(canonicalClaimJson(parseClaim(raw)));
  });
});
