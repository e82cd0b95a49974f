/**
 * The settlement JSON the engine writes, held to a golden record: every worked case of test/cases and a
 * generated year (the sample generator, seed fixed, settled in order against one ledger, as `claims
 * replay` does) must serialize to exactly the text recorded in test/fixtures/golden/settlements.json.
 * The record keeps a short hash per claim and a few full settlements, so it stays small while any
 * changed byte of any field still fails.
 *
 * Fields added since the record was taken (the Chinese sentence `zh` of each trace entry) are left out
 * before hashing; the clauses the engine cites itself are mapped back to the text they had when the
 * record was taken (see `LEGACY_CLAUSES`), so that everything else is compared byte for byte.
 *
 * Regenerate only on a deliberate change of output: `GOLDEN_WRITE=1 npx vitest run test/engine/golden.test.ts`.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidClaimError } from '../../shared/contract/errors.js';
import { parseClaim } from '../../shared/contract/claim.js';
import { YearToDateLedger, settleAgainstLedger } from '../../shared/engine/ledger.js';
import { ENGINE_CLAUSES } from '../../shared/engine/clauses.js';
import { settle } from '../../shared/engine/settle.js';
import { settlementToJson, type SettlementJson } from '../../shared/engine/settlement.js';
import { builtInPolicyBook } from '../../shared/policy/book.js';
import { generateClaims } from '../../cli/sample/generate.js';

const CASES_DIR = resolve(import.meta.dirname, '../cases');
const FIXTURE = resolve(import.meta.dirname, '../fixtures/golden/settlements.json');
const GENERATED = { count: 3000, seed: 20181 } as const;

interface Golden {
  /** sha256 (first 12 hex digits) of each worked case's settlement JSON, by case id. */
  readonly cases: Record<string, string>;
  readonly generated: { readonly count: number; readonly seed: number; readonly hashes: readonly string[] };
  /** A few settlements in full, to show what changed when a hash differs. */
  readonly examples: Record<string, unknown>;
}

/**
 * The clauses the engine cites itself, as written when the record was taken: they cited a document the
 * user does not have and now cite docs/readings.md by anchor. This is the only deliberate change of text.
 */
const LEGACY_CLAUSES: Readonly<Record<string, (json: SettlementJson) => string>> = {
  [ENGINE_CLAUSES.policyInForce.clause]: () => 'policy-readings step 1',
  [ENGINE_CLAUSES.oneStopOrder.clause]: () => 'policy-readings R29: one-stop order',
  [ENGINE_CLAUSES.itemCategories.clause]: () => 'claim contract: item categories',
  [ENGINE_CLAUSES.classBSelfPay.clause]: () => 'claim contract: class-b selfPayRatio (先行自付)',
  [ENGINE_CLAUSES.noObservationMerge.clause]: (json) => `${json.policy}: no observation merge rule`,
  [ENGINE_CLAUSES.amounts.clause]: () => 'claim contract: amounts',
  [ENGINE_CLAUSES.noNumber.clause]: () => 'no clause: the document sets no number for this',
};

/** The settlement as the text the record was taken from: without fields added since, with the old clause text. */
function legacyText(json: SettlementJson): string {
  const legacy = (clause: string): string => LEGACY_CLAUSES[clause]?.(json) ?? clause;
  return JSON.stringify({
    ...json,
    rejection: json.rejection === null ? null : { ...json.rejection, clause: legacy(json.rejection.clause) },
    trace: json.trace.map(({ zh: _zh, ...entry }: { zh?: string } & (typeof json.trace)[number]) => ({ ...entry, clause: legacy(entry.clause) })),
  });
}

const hashOf = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 12);

/** Today's output of every worked case, by id. */
function caseOutputs(): Map<string, string> {
  const book = builtInPolicyBook();
  const outputs = new Map<string, string>();
  for (const name of readdirSync(CASES_DIR).filter((n) => n.endsWith('.json')).sort()) {
    const workedCase = JSON.parse(readFileSync(join(CASES_DIR, name), 'utf8')) as { id: string; claim: unknown };
    outputs.set(workedCase.id, legacyText(settlementToJson(settle(parseClaim(workedCase.claim), book))));
  }
  return outputs;
}

/** Today's output of the generated year, claim by claim in discharge order (an invalid claim is its issues). */
function generatedOutputs(): string[] {
  const book = builtInPolicyBook();
  const ledger = new YearToDateLedger();
  const outputs: string[] = [];
  for (const input of generateClaims(GENERATED)) {
    try {
      outputs.push(legacyText(settlementToJson(settleAgainstLedger(parseClaim(input), book, ledger))));
    } catch (error) {
      if (!(error instanceof InvalidClaimError)) throw error;
      outputs.push(JSON.stringify({ error: 'INVALID_CLAIM', issues: error.issues }));
    }
  }
  return outputs;
}

/** The examples kept in full: a few worked cases and the first generated settlement of each path and status. */
function examplesOf(cases: Map<string, string>, generated: readonly string[]): Record<string, unknown> {
  const examples: Record<string, unknown> = {};
  for (const id of ['JZ01', 'JZ07', 'JZ13', 'JC01']) if (cases.has(id)) examples[`case ${id}`] = JSON.parse(cases.get(id) as string);
  const seen = new Set<string>();
  generated.forEach((text, index) => {
    const json = JSON.parse(text) as { status?: string; path?: string | null };
    const kind = `${json.status ?? 'invalid'} ${json.path ?? ''}`.trim();
    if (seen.has(kind)) return;
    seen.add(kind);
    examples[`generated #${index} (${kind})`] = json;
  });
  return examples;
}

const cases = caseOutputs();
const generated = generatedOutputs();

if (process.env['GOLDEN_WRITE'] === '1') {
  const golden: Golden = {
    cases: Object.fromEntries([...cases].map(([id, text]) => [id, hashOf(text)])),
    generated: { ...GENERATED, hashes: generated.map(hashOf) },
    examples: examplesOf(cases, generated),
  };
  writeFileSync(FIXTURE, `${JSON.stringify(golden)}\n`);
}

const golden = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Golden;

describe('settlement JSON against the golden record', () => {
  it('covers every worked case and the whole generated year', () => {
    // Prepare / Act: the outputs above
    // Assess
    expect([...cases.keys()].sort()).toEqual(Object.keys(golden.cases).sort());
    expect(cases.size).toBeGreaterThanOrEqual(36);
    expect(golden.generated).toMatchObject(GENERATED);
    expect(generated).toHaveLength(golden.generated.hashes.length);
  });

  it.each([...cases.keys()])('worked case %s writes the recorded JSON', (id) => {
    // Prepare
    const text = cases.get(id) as string;
    // Act
    const hash = hashOf(text);
    // Assess: on a mismatch, show the full settlement when the record keeps it
    const example = golden.examples[`case ${id}`];
    if (example !== undefined) expect(JSON.parse(text)).toEqual(example);
    expect({ id, hash }).toEqual({ id, hash: golden.cases[id] });
  });

  it(`the generated year (${GENERATED.count} claims, seed ${GENERATED.seed}) writes the recorded JSON, claim by claim`, () => {
    // Prepare
    const examples = Object.entries(golden.examples).filter(([key]) => key.startsWith('generated #'));
    // Act
    const mismatches = generated.flatMap((text, index) => (hashOf(text) === golden.generated.hashes[index] ? [] : [index]));
    // Assess: the full examples first, for a readable diff, then every claim's hash
    for (const [key, example] of examples) {
      const index = Number(/#(\d+)/.exec(key)?.[1]);
      expect(JSON.parse(generated[index] as string), key).toEqual(example);
    }
    expect(mismatches.slice(0, 5).map((index) => ({ index, text: generated[index] }))).toEqual([]);
  });
});
