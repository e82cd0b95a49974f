/**
 * Identifiers have one spelling: the claim schema and the API's path parameters accept an id only in
 * its canonical form (NFKC, hence NFC), so NFC and NFD spellings of one id can never be two claims.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseClaim } from '../../shared/contract/claim.js';
import { InvalidClaimError } from '../../shared/contract/errors.js';
import { idProblem } from '../../shared/contract/ids.js';
import { matchRoute } from '../../functions/intake/routes.js';
import { jinzhongInpatient } from '../support/claims.js';

const NFC = 'SEC-CAF\u00c9-1';
const NFD = 'SEC-CAFE\u0301-1';

function issuesOf(input: unknown): { path: string; message: string }[] {
  try {
    parseClaim(input);
    return [];
  } catch (error) {
    if (error instanceof InvalidClaimError) return [...error.issues];
    throw error;
  }
}

describe('identifiers in one canonical form', () => {
  it('accepts SEC-CAFÉ-1 in NFC and refuses it in NFD as INVALID_CLAIM on the field', () => {
    // Prepare
    const composed = jinzhongInpatient({ claimId: NFC });
    const decomposed = jinzhongInpatient({ claimId: NFD });
    // Act / Assess
    expect(issuesOf(composed)).toEqual([]);
    expect(issuesOf(decomposed)).toEqual([{ path: 'claimId', message: expect.stringMatching(/canonical Unicode form \(NFKC/) }]);
  });

  it('names member.id and hospital.id, and refuses full-width compatibility letters', () => {
    // Prepare
    const claim = jinzhongInpatient({ member: { id: 'Ｍ-１' }, hospital: { id: `H-${NFD}` } });
    // Act
    const paths = issuesOf(claim).map((issue) => issue.path);
    // Assess
    expect(paths.sort()).toEqual(['hospital.id', 'member.id']);
  });

  it('takes Chinese ids and punctuation as they are (already canonical)', () => {
    // Act / Assess
    expect(issuesOf(jinzhongInpatient({ claimId: '晋中-住院/2018#1', member: { id: '成员-甲' } }))).toEqual([]);
  });

  it('the schema and the path rule agree on every string (2,000 runs)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'grapheme', maxLength: 70 }),
          fc.string({ unit: 'binary', maxLength: 70 }),
          fc.constantFrom(NFC, NFD, 'Ａ', 'ﬁle', 'x\u200b', ''),
        ),
        (id) => {
          // Prepare
          const claim = jinzhongInpatient({ claimId: id });
          // Act
          const schemaAccepts = !issuesOf(claim).some((issue) => issue.path === 'claimId');
          const pathAccepts = idProblem(id) === undefined;
          const route = matchRoute('GET', `/claims/H-1/${encodeURIComponent(id)}`);
          // Assess: one rule, and an accepted id is always its own NFC and NFKC form
          expect(schemaAccepts).toBe(pathAccepts);
          if (id !== '' && !id.includes('/')) expect(route.kind === 'route').toBe(pathAccepts);
          if (pathAccepts) expect([id.normalize('NFC'), id.normalize('NFKC')]).toEqual([id, id]);
        },
      ),
      { numRuns: 2_000, seed: 16 },
    );
  });
});
