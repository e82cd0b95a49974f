/**
 * The exact text the engine and `claims replay` write, held to a record taken before the trace and the
 * replay were made faster (test/fixtures/golden/settlement-text.json): every worked case, the replay's
 * sample year (cli/sample) and the local stack's generated claims (local/generate.ts), each serialized
 * with and without the Chinese sentences (the taiyuan cases also under the overlay of test/fixtures/overlays),
 * and a replay stream with resends, corrections and bad lines
 * replayed by the built command on one and on two workers. Unlike golden.test.ts nothing is left out
 * before hashing: every byte, `zh` included, must be what it was.
 *
 * Regenerate only on a deliberate change of output: `TEXT_WRITE=1 npx vitest run test/engine/settlement-text.test.ts`.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateClaims } from '../../cli/sample/generate.js';
import { parseClaim } from '../../shared/contract/claim.js';
import { InvalidClaimError } from '../../shared/contract/errors.js';
import { YearToDateLedger, settleAgainstLedger } from '../../shared/engine/ledger.js';
import { settle } from '../../shared/engine/settle.js';
import { type Settlement, settlementToJson } from '../../shared/engine/settlement.js';
import { builtInPolicyBook } from '../../shared/policy/book.js';
import { generatedClaims } from '../../local/generate.js';
import { loadPolicyBook } from '../../cli/policy-files.js';
import type { PolicyBook } from '../../shared/policy/book.js';
import { OVERLAYS, claims, ensureBuilt } from '../cli/helpers.js';
import { workedCases } from '../support/cases.js';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/golden/settlement-text.json');
const SAMPLE = { count: 3000, seed: 20183 } as const;
const LOCAL = { members: 40, perMember: 6, seed: 7 } as const;

interface Record_ {
  /** sha256 (first 16 hex digits) of each text, by name. */
  readonly hashes: Record<string, string>;
}

const hashOf = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);

/** The two texts of a settlement: with the Chinese sentences (the default) and without. */
const textsOf = (settlement: Settlement): [string, string] => [JSON.stringify(settlementToJson(settlement)), JSON.stringify(settlementToJson(settlement, { chinese: false }))];

/** Every settlement text, by a name that says where it came from. */
function settlementTexts(overlaid: PolicyBook): Map<string, string> {
  const book = builtInPolicyBook();
  const texts = new Map<string, string>();
  const add = (name: string, settlement: Settlement): void => {
    const [full, english] = textsOf(settlement);
    texts.set(name, full);
    texts.set(`${name} without zh`, english);
  };
  for (const worked of workedCases()) add(`case ${worked.id}`, settle(parseClaim(worked.claim), book));
  // The worked cases of the overlaid region again, under the operator overlay of test/fixtures/overlays.
  for (const worked of workedCases().filter((c) => (c.claim as { member: { region: string } }).member.region === 'taiyuan')) {
    add(`case ${worked.id} under the overlay`, settle(parseClaim(worked.claim), overlaid));
  }
  const year = (name: string, inputs: Iterable<unknown>): void => {
    const ledger = new YearToDateLedger();
    const lines: string[] = [];
    for (const input of inputs) {
      try {
        const [full, english] = textsOf(settleAgainstLedger(parseClaim(input), book, ledger));
        lines.push(full, english);
      } catch (error) {
        if (!(error instanceof InvalidClaimError)) throw error;
        lines.push(JSON.stringify(error.issues));
      }
    }
    texts.set(name, lines.join('\n'));
  };
  year(`sample year ${SAMPLE.count} seed ${SAMPLE.seed}`, generateClaims(SAMPLE));
  year(`local generated ${LOCAL.members}×${LOCAL.perMember} seed ${LOCAL.seed}`, generatedClaims(LOCAL.members, LOCAL.perMember, LOCAL.seed));
  return texts;
}

/**
 * A replay stream with everything a replay decides: claims of a sample year, identical and conflicting
 * resends, reversals and replacements of earlier claims, a correction of an unknown claim, an invalid
 * claim and a line that is not JSON.
 */
function replayStream(): string {
  const generated = [...generateClaims({ count: 1500, seed: 99, members: 60 })] as { claimId: string; hospital: { id: string }; items: { amount: string }[] }[];
  const lines: string[] = [];
  generated.forEach((claim, index) => {
    lines.push(JSON.stringify(claim));
    const earlier = generated[Math.floor(index / 2)] as (typeof generated)[number];
    if (index % 97 === 13) lines.push(JSON.stringify(earlier));
    if (index % 89 === 7) lines.push(JSON.stringify({ ...earlier, items: earlier.items.slice(0, 1) }));
    if (index % 53 === 11) lines.push(JSON.stringify({ event: 'reverse', hospitalId: earlier.hospital.id, claimId: earlier.claimId }));
    if (index % 61 === 17) lines.push(JSON.stringify({ event: 'replace', claim: { ...earlier, items: [...earlier.items, ...earlier.items] } }));
  });
  lines.splice(40, 0, '{"claimId":"nope"}', 'not json at all', JSON.stringify({ event: 'reverse', hospitalId: 'H-0', claimId: 'none' }));
  return `${lines.join('\n')}\n`;
}

/**
 * Every text, with the overlay's directory (which the policy step names, and which depends on where the
 * repository is checked out) written as `<overlays>`, so the recorded hashes hold in any clone.
 */
const texts = new Map([...settlementTexts(await loadPolicyBook(OVERLAYS))].map(([name, text]) => [name, text.replaceAll(OVERLAYS, '<overlays>')]));
const stream = replayStream();

/** The summary without the timing fields, which differ from run to run, and its rejection codes in one order. */
function summaryText(file: string): { raw: string; sorted: string } {
  const { seconds: _s, claimsPerSecond: _c, ...rest } = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const { rejectedByCode, ...others } = rest;
  const codes = Object.entries(rejectedByCode as Record<string, number>).sort(([a], [b]) => (a < b ? -1 : 1));
  return { raw: JSON.stringify(rest), sorted: JSON.stringify({ ...others, rejectedByCode: Object.fromEntries(codes) }) };
}

function replayed(workers: number): { stdout: string; summary: { raw: string; sorted: string } } {
  const dir = mkdtempSync(join(tmpdir(), 'settlement-text-'));
  try {
    const file = join(dir, 'summary.json');
    const run = claims(['replay', '-', '--workers', String(workers), '--summary', file], stream);
    return { stdout: run.stdout, summary: summaryText(file) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let replays: { stdout: string; summary: { raw: string; sorted: string } }[] = [];

beforeAll(() => {
  ensureBuilt();
  replays = [replayed(1), replayed(2)];
  if (process.env['TEXT_WRITE'] === '1') {
    const hashes: Record<string, string> = {};
    for (const [name, text] of texts) hashes[name] = hashOf(text);
    hashes['replay stream output'] = hashOf(replays[0]?.stdout ?? '');
    hashes['replay stream summary'] = hashOf(replays[0]?.summary.sorted ?? '');
    writeFileSync(FIXTURE, `${JSON.stringify({ hashes } satisfies Record_, null, 1)}\n`);
  }
}, 120_000);

describe('the text of settlements and of a replay, byte for byte as recorded', () => {
  it.each([...texts.keys()])('%s', (name) => {
    // Prepare
    const recorded = (JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record_).hashes;
    // Act
    const hash = hashOf(texts.get(name) as string);
    // Assess
    expect({ name, hash }).toEqual({ name, hash: recorded[name] });
  });

  it('the record covers every worked case and both generated years', () => {
    // Prepare
    const recorded = (JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record_).hashes;
    // Act
    const names = Object.keys(recorded).filter((name) => !name.startsWith('replay stream'));
    // Assess
    expect(names.sort()).toEqual([...texts.keys()].sort());
    expect(names.filter((name) => name.startsWith('case ') && !name.endsWith('without zh')).length).toBeGreaterThanOrEqual(36);
  });

  it.each([1, 2])('replay of a stream with resends, corrections and bad lines on %i worker(s) writes the recorded lines and summary', (workers) => {
    // Prepare
    const recorded = (JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record_).hashes;
    // Act
    const run = replays[workers - 1] as (typeof replays)[number];
    // Assess: the record (its rejection codes in one order, as recorded), and the very same summary text as one worker's
    expect(run.stdout.split('\n').length).toBeGreaterThan(1500);
    expect(hashOf(run.stdout)).toBe(recorded['replay stream output']);
    expect(hashOf(run.summary.sorted)).toBe(recorded['replay stream summary']);
    expect(run.summary.raw).toBe(replays[0]?.summary.raw);
  });
});
