/** Shared helpers of the provincial-side tests: the worked cases, settled. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Claim, parseClaim } from '../../shared/contract/claim.js';
import { settle } from '../../shared/engine/settle.js';
import type { Settlement } from '../../shared/engine/settlement.js';
import { builtInPolicyBook } from '../../shared/policy/book.js';

/** The worked cases: test/cases, else the folder the other suites read them from. */
export const CASES_DIR = [resolve(import.meta.dirname, '../cases'), resolve(import.meta.dirname, '../../../shared/cases')].find((dir) => existsSync(dir)) ?? resolve(import.meta.dirname, '../cases');

export interface SettledCase {
  readonly id: string;
  readonly claim: Claim;
  readonly settlement: Settlement;
}

/** Every worked case, settled with the built-in packs. */
export function settledCases(): SettledCase[] {
  return readdirSync(CASES_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const workedCase = JSON.parse(readFileSync(join(CASES_DIR, name), 'utf8')) as { id: string; claim: unknown };
      const claim = parseClaim(workedCase.claim);
      return { id: workedCase.id, claim, settlement: settle(claim, builtInPolicyBook()) };
    });
}
