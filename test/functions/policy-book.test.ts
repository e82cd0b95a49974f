/**
 * The policy book a deployed handler uses is the one validated when its bundle was built: the same
 * policies as the book validated at run time, and so the same settlement of every worked case.
 */
import { describe, expect, it } from 'vitest';
import { PRECOMPILED_BOOK_NAME, bookFromPrecompiled, deployedPolicyBook, policyBookDefine } from '../../functions/lib/policy-book.js';
import { parseClaim } from '../../shared/contract/claim.js';
import { settle } from '../../shared/engine/settle.js';
import { builtInPolicyBook } from '../../shared/policy/book.js';
import { workedCases } from '../support/cases.js';

/** The book a bundle embeds: the define's string literal, read back as esbuild writes it into the code. */
function embeddedBook() {
  const literal = policyBookDefine()[PRECOMPILED_BOOK_NAME] ?? '';
  return bookFromPrecompiled(JSON.parse(literal) as string);
}

describe('the precompiled policy book', () => {
  it('holds the same policies as the book validated at run time, with their sources', () => {
    // Act
    const embedded = embeddedBook();
    // Assess
    expect(embedded.policies).toEqual(builtInPolicyBook().policies);
    expect(embedded.policies.length).toBeGreaterThanOrEqual(5);
    expect(embedded.regions).toEqual(builtInPolicyBook().regions);
  });

  it('settles every worked case exactly as the validated book does', () => {
    // Prepare
    const embedded = embeddedBook();
    const cases = workedCases();
    // Act
    const differing = cases.filter((worked) => {
      const claim = parseClaim(worked.claim);
      return JSON.stringify(settle(claim, embedded)) !== JSON.stringify(settle(claim, builtInPolicyBook()));
    });
    // Assess
    expect(cases.length).toBeGreaterThan(30);
    expect(differing.map((worked) => worked.id)).toEqual([]);
  });

  it('outside a bundle (no define) the handlers validate the packs as before', () => {
    // Act, Assess
    expect(deployedPolicyBook()).toBe(builtInPolicyBook());
  });
});
