/**
 * `claims replay --partition I/N` and `claims summary merge`: the partitions of a generated year,
 * corrections and resends in the stream, give together exactly what the unpartitioned replay gives: the
 * same lines (as a set) and, merged, the same summary to the fen.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateClaims } from '../../cli/sample/generate.js';
import { generatedClaims } from '../../local/generate.js';
import { partitionOf } from '../../shared/ledger/partition.js';
import { ROOT, claims, ensureBuilt, jsonLines } from './helpers.js';

let dir: string;
let input: string;

type ClaimValue = { claimId: string; member: { id: string }; hospital: { id: string }; items: { amount: string }[] };

/** Claims of every member in turn (claim s of each member, then claim s + 1), so members interleave as in a real stream. */
function interleaved(members: number, perMember: number): ClaimValue[] {
  const byMember = generatedClaims(members, perMember, 42) as unknown as ClaimValue[];
  return Array.from({ length: perMember }, (_, s) => Array.from({ length: members }, (_, m) => byMember[m * perMember + s] as ClaimValue)).flat();
}

/**
 * A generated year (local/generate.ts, and the county sample of `claims generate` for rejections and
 * other policies and years), with every kind of line a partition must route: reversals and replacements
 * of earlier claims, identical and conflicting resends (one naming another member), corrections of
 * claims never seen, a second reversal, a replacement that moves the claim, lines that are not JSON,
 * name no member or name an unknown event.
 */
function generatedYear(): string {
  const year: ClaimValue[] = [...interleaved(150, 4), ...(generateClaims({ count: 1200, seed: 9 }) as Iterable<unknown> as Iterable<ClaimValue>)];
  const lines: string[] = [];
  const copy = (claim: ClaimValue): ClaimValue => JSON.parse(JSON.stringify(claim)) as ClaimValue;
  year.forEach((claim, i) => {
    lines.push(JSON.stringify(claim));
    const earlier = (back: number): ClaimValue => year[Math.max(0, i - back)] as ClaimValue;
    const reverse = (of: ClaimValue) => JSON.stringify({ event: 'reverse', hospitalId: of.hospital.id, claimId: of.claimId });
    // 300 back in the interleaved part is the same member two claims earlier: its later claim is re-settled.
    if (i % 37 === 5) lines.push(reverse(earlier(300)));
    if (i % 149 === 5) lines.push(reverse(earlier(300))); // the same claim again: ALREADY_REVERSED
    if (i % 53 === 7) lines.push(JSON.stringify({ event: 'replace', claim: { ...copy(earlier(10)), items: [{ ...copy(earlier(10)).items[0], amount: '100.00' }, ...copy(earlier(10)).items.slice(1)] } }));
    if (i % 61 === 11) lines.push(JSON.stringify(earlier(2)));
    if (i % 67 === 13) lines.push(JSON.stringify({ ...copy(earlier(4)), member: { ...copy(earlier(4)).member, id: claim.member.id === earlier(4).member.id ? 'M-OTHER-1' : claim.member.id } }));
    if (i % 71 === 17) lines.push(JSON.stringify({ event: 'replace', claim: { ...copy(earlier(6)), member: { ...copy(earlier(6)).member, id: 'M-MOVED-9' } } }));
    if (i % 97 === 19) lines.push(JSON.stringify({ event: 'reverse', hospitalId: 'H-NOWHERE', claimId: `UNSEEN-${i}` }));
    if (i % 101 === 23) lines.push(JSON.stringify({ event: 'replace', claim: { ...copy(claim), claimId: `UNSEEN-R-${i}` } }));
    if (i % 103 === 29) lines.push('{"claimId": "broken', JSON.stringify({ claimId: `NO-MEMBER-${i}`, hospital: claim.hospital }), JSON.stringify({ event: 'cancel', claimId: claim.claimId }), '[1,2]');
  });
  return `${lines.join('\n')}\n`;
}

const SUMMARY_ONLY_OF_A_RUN = ['seconds', 'claimsPerSecond'] as const;
const STAMP = ['partition', 'policySet', 'years'] as const;

/** A summary without the fields that differ between runs of the same claims (time) or only stamp a partition. */
function comparable(summary: Record<string, unknown>): Record<string, unknown> {
  const rest = { ...summary };
  for (const key of [...SUMMARY_ONLY_OF_A_RUN, ...STAMP]) delete rest[key];
  return rest;
}

const readJson = (file: string): Record<string, unknown> => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
const sortedLines = (text: string): string[] => text.split('\n').filter((line) => line !== '').sort();

/** Runs the N partitions of `args`; their output lines and summary files. */
function partitions(args: readonly string[], count: number, extra: readonly string[] = []) {
  return Array.from({ length: count }, (_, i) => {
    const summary = join(dir, `p${i + 1}-of-${count}.json`);
    const run = claims([...args, '--partition', `${i + 1}/${count}`, '--summary', summary, ...extra]);
    return { run, summary };
  });
}

let whole: { stdout: string; summary: Record<string, unknown> };

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'claims-partition-'));
  input = join(dir, 'year.jsonl');
  writeFileSync(input, generatedYear());
  const summary = join(dir, 'whole.json');
  const run = claims(['replay', input, '--summary', summary]);
  whole = { stdout: run.stdout, summary: readJson(summary) };
});

describe('claims replay --partition I/N', () => {
  it('the year holds every kind of line a partition routes (so the comparisons below cannot pass on a plain year)', () => {
    // Assess
    const s = whole.summary as Record<string, number>;
    expect(s.claimsRead).toBeGreaterThan(2000);
    expect(s.corrections).toBeGreaterThan(50);
    expect(s.correctionsRefused).toBeGreaterThan(10);
    expect(s.resettled).toBeGreaterThan(0);
    expect(s.duplicates).toBeGreaterThan(10);
    expect(s.conflictingResends).toBeGreaterThan(10);
    expect(s.invalid).toBeGreaterThan(10);
    expect(s.rejected).toBeGreaterThan(10);
    expect(whole.summary['members']).toBeGreaterThan(400);
  });

  it.each([1, 2, 7])('N = %i: the partitions write the lines of the whole replay (as a set), and merged their summaries are the whole summary to the fen', (count) => {
    // Act
    const parts = partitions(['replay', input], count);
    const merge = claims(['summary', 'merge', ...parts.map((part) => part.summary)]);
    // Assess
    expect(sortedLines(parts.map((part) => part.run.stdout).join(''))).toEqual(sortedLines(whole.stdout));
    expect(merge.status, merge.stderr).toBe(0);
    const merged = JSON.parse(merge.stdout) as Record<string, unknown>;
    expect(comparable(merged)).toEqual(comparable(whole.summary));
    expect(merged['partition']).toEqual({ count, parts: Array.from({ length: count }, (_, i) => i + 1) });
    // Every partition has work to do: none of the 7 is empty.
    for (const part of parts) expect(readJson(part.summary)['claimsRead']).toBeGreaterThan(0);
  });

  it("a reversal goes to the partition of the member of the claim it names, and a resend naming another member to the claim's", () => {
    // Prepare: a claim of one member, resent naming a member of the other partition, then reversed.
    const [a, b] = interleaved(40, 1).filter((claim, _, all) => partitionOf(claim.member.id, 2) !== partitionOf((all[0] as ClaimValue).member.id, 2) || claim === all[0]);
    const first = a as ClaimValue;
    const resent = { ...first, member: { ...first.member, id: (b as ClaimValue).member.id } };
    const text = `${[first, resent, { event: 'reverse', hospitalId: first.hospital.id, claimId: first.claimId }].map((line) => JSON.stringify(line)).join('\n')}\n`;
    const owner = partitionOf(first.member.id, 2) + 1;
    // Act
    const mine = claims(['replay', '-', '--partition', `${owner}/2`], text);
    const other = claims(['replay', '-', '--partition', `${3 - owner}/2`], text);
    // Assess: the owner answers all three lines; the other partition has nothing to do.
    expect(jsonLines(mine.stdout).map((line) => line['status'] ?? line['error'])).toEqual(['settled', 'CONFLICTING_RESEND', 'reversed']);
    expect(other.stdout).toBe('');
    expect(other.status).toBe(3);
    expect(other.stderr).toContain(`partition ${3 - owner}/2 holds none of the 3 lines of standard input`);
  });

  it('N = 2 over generated claims (--generate) and with --workers 2: the same lines as the whole replay', () => {
    // Prepare
    const all = claims(['replay', '--generate', '3000', '--seed', '5']);
    // Act
    const parts = partitions(['replay', '--generate', '3000', '--seed', '5'], 2, ['--workers', '2']);
    // Assess
    expect(sortedLines(parts.map((part) => part.run.stdout).join(''))).toEqual(sortedLines(all.stdout));
  });

  it.each(['0/4', '5/4', '1/0', 'x', '1/2/3'])('refuses --partition %s with a usage error naming the flag', (spec) => {
    // Act
    const run = claims(['replay', '--generate', '10', '--partition', spec]);
    // Assess
    expect(run.status).toBe(64);
    expect(run.stderr).toMatch(/^claims: --partition must /);
  });
});

describe('claims partition split', () => {
  it('N = 7: each file replayed as its partition gives the whole replay (line numbers aside) and, merged, its summary to the fen', () => {
    // Prepare
    const out = join(dir, 'split');
    // Act
    const split = claims(['partition', 'split', input, '--count', '7', '--output', out]);
    const parts = Array.from({ length: 7 }, (_, i) => {
      const summary = join(out, `summary-${i + 1}.json`);
      const run = claims(['replay', join(out, `part-000${i + 1}-of-0007.jsonl`), '--partition', `${i + 1}/7`, '--summary', summary]);
      return { run, summary };
    });
    const merge = claims(['summary', 'merge', ...parts.map((part) => part.summary)]);
    // Assess: a file's line numbers are its own, so the lines are compared without them.
    const withoutLineNumbers = (text: string): string[] => sortedLines(text.replace(/"line":\d+|line \d+/g, 'line N'));
    expect(split.status, split.stderr).toBe(0);
    expect(split.stderr).toMatch(/lines into 7 files/);
    expect(withoutLineNumbers(parts.map((part) => part.run.stdout).join(''))).toEqual(withoutLineNumbers(whole.stdout));
    expect(comparable(JSON.parse(merge.stdout) as Record<string, unknown>)).toEqual(comparable(whole.summary));
  });
});

describe('claims whatif --partition I/N', () => {
  it('the two partitions together count every claim and every yuan of both policy sets', () => {
    // Prepare
    const claimsFile = join(dir, 'claims-only.jsonl');
    writeFileSync(claimsFile, `${interleaved(150, 3).map((claim) => JSON.stringify(claim)).join('\n')}\n`);
    const args = ['whatif', claimsFile, '--policies', join(ROOT, 'docs/examples/deductible-600'), '--json'];
    type Report = { claims: number; membersAffected: number; baseline: { amounts: Record<string, string> }; changed: { amounts: Record<string, string> } };
    const report = (extra: string[]) => JSON.parse(claims([...args, ...extra]).stdout) as Report;
    // Act
    const all = report([]);
    const parts = [report(['--partition', '1/2']), report(['--partition', '2/2'])];
    // Assess
    const fen = (text: string): number => Math.round(Number(text) * 100);
    expect(parts[0]?.claims).toBeGreaterThan(0);
    expect(parts.reduce((sum, part) => sum + part.claims, 0)).toBe(all.claims);
    expect(parts.reduce((sum, part) => sum + part.membersAffected, 0)).toBe(all.membersAffected);
    for (const side of ['baseline', 'changed'] as const) {
      for (const [key, value] of Object.entries(all[side].amounts)) expect(parts.reduce((sum, part) => sum + fen(part[side].amounts[key] as string), 0), `${side} ${key}`).toBe(fen(value));
    }
  });
});

describe('claims summary merge', () => {
  let halves: string[];
  let thirds: string[];

  beforeAll(() => {
    halves = partitions(['replay', '--generate', '400'], 2).map((part) => part.summary);
    thirds = partitions(['replay', '--generate', '400'], 3).map((part) => part.summary);
  });

  it.each([
    ['the same partition twice', () => [halves[0], halves[0], halves[1]], /both cover partition 1\/2: it would be counted twice/],
    ['partitions of different counts', () => [halves[0], thirds[1]], /is one of 3 partitions, .* one of 2/],
    ['a set that leaves a partition out', () => [thirds[0], thirds[2]], /cover 2 of 3 partitions; missing 2 \(pass --partial/],
  ])('refuses %s, naming the files', (_, files, message) => {
    // Act
    const run = claims(['summary', 'merge', ...(files() as string[])]);
    // Assess
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it('refuses a summary of another policy set, of other years, or of an unpartitioned run', () => {
    // Prepare
    const changed = join(dir, 'changed.json');
    claims(['replay', '--generate', '400', '--partition', '2/2', '--summary', changed, '--policies', join(ROOT, 'docs/examples/deductible-600')]);
    const otherYears = join(dir, 'other-years.json');
    writeFileSync(otherYears, JSON.stringify({ ...readJson(halves[1] as string), years: [2031] }));
    const unpartitioned = join(dir, 'unpartitioned.json');
    claims(['replay', '--generate', '400', '--summary', unpartitioned]);
    // Act
    const policies = claims(['summary', 'merge', halves[0] as string, changed]);
    const years = claims(['summary', 'merge', halves[0] as string, otherYears]);
    const plain = claims(['summary', 'merge', unpartitioned]);
    // Assess
    expect(policies.stderr).toMatch(/changed.json was settled under another policy set than .*p1-of-2.json/);
    expect(years.stderr).toMatch(/other-years.json covers the years 2031, .*p1-of-2.json the years 2015, 2018, 2019: not one run/);
    expect(plain.stderr).toMatch(/unpartitioned.json is not a partition summary: partition is required/);
    expect([policies.status, years.status, plain.status]).toEqual([1, 1, 1]);
  });

  it('merges in stages: a partial merge merged with the rest is the merge of all', () => {
    // Act
    const first = claims(['summary', 'merge', '--partial', thirds[0] as string, thirds[1] as string]);
    const staged = join(dir, 'staged.json');
    writeFileSync(staged, first.stdout);
    const fromStages = claims(['summary', 'merge', staged, thirds[2] as string]);
    const atOnce = claims(['summary', 'merge', ...thirds]);
    // Assess
    expect(first.status).toBe(0);
    expect(JSON.parse(first.stdout).partition).toEqual({ count: 3, parts: [1, 2] });
    expect(JSON.parse(fromStages.stdout)).toEqual(JSON.parse(atOnce.stdout));
  });
});
