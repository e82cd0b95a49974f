/**
 * The command line as a person meets it: what a terminal shows, the Node version check, hints for the
 * likely mistakes, the contract's own messages, one-line errors, a BOM, and empty or unknown inputs.
 * Every case runs the built command in a child process, on a pseudo-terminal where it matters.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { NAMED_BAD_LINES, TERMINAL_RULE } from '../../cli/terminal.js';
import { MAIN, ROOT, claims, ensureBuilt, jsonLines } from './helpers.js';
import { claimLine, fileOf, numberAmountLine, onTerminal, scratch } from './terminal-helpers.js';

let dir: string;
/** Lines 2, 4 and 5 are not valid claims (not a claim, not JSON, an amount as a number). */
let mixed: string;

beforeAll(() => {
  ensureBuilt();
  dir = scratch();
  mixed = fileOf(dir, 'mixed.jsonl', [claimLine('OK-1'), '{"bad":1}', claimLine('OK-2'), 'nope', numberAmountLine(), ''].join('\n'));
  // Building dist/ on a busy two-core machine can take minutes.
}, 600_000);

const linesOf = (text: string): string[] => text.split('\n').filter((line) => line.trim() !== '');

describe('on a terminal', () => {
  it.each([['in this thread', []], ['on worker threads', ['--workers', '2']]])('replay %s names each invalid line and its first issue on stderr, and exits 2', (_how, options) => {
    // Act
    const run = onTerminal(['replay', ...options, mixed]);

    // Assess
    expect(run.status).toBe(2);
    expect(run.shown).toContain(`${mixed} line 2: not a valid claim: claimId is required`);
    expect(run.shown).toContain(`${mixed} line 4: not a valid claim: (input) is not JSON`);
    expect(run.shown).toContain(`${mixed} line 5: not a valid claim: items.0.amount must be a non-negative yuan amount with at most two decimals, as a string`);
    expect(run.shown).toMatch(/invalid +3/);
    expect(run.shown).not.toContain('{"error"');
  });

  it(`names the first ${NAMED_BAD_LINES} invalid lines, then counts the rest`, () => {
    // Prepare
    const file = fileOf(dir, 'many-bad.jsonl', `${Array.from({ length: 25 }, (_, i) => `not json ${i}`).join('\n')}\n`);

    // Act
    const run = onTerminal(['replay', file]);

    // Assess
    expect(run.status).toBe(2);
    expect(run.shown.match(/: not a valid claim: /g)).toHaveLength(NAMED_BAD_LINES);
    expect(run.shown).toContain(`line ${NAMED_BAD_LINES}: `);
    expect(run.shown).not.toContain(`line ${NAMED_BAD_LINES + 1}: `);
    expect(run.shown).toContain(`claims: ${25 - NAMED_BAD_LINES} more line(s) not a valid claim (25 in all)`);
  });

  it('replay --format slip shows only the summary, as the README promises', () => {
    // Act
    const run = onTerminal(['replay', '--format', 'slip', '--generate', '200']);

    // Assess
    expect(run.status).toBe(0);
    expect(run.shown).toContain('claims replay: 200 claims');
    expect(run.shown).toContain('claims: 200 slips not written to the terminal');
    expect(linesOf(run.shown).length).toBeLessThan(25);
  });

  it('settle --lines names the invalid lines too and holds the answers back', () => {
    // Act
    const run = onTerminal(['settle', '--lines', mixed]);

    // Assess
    expect(run.status).toBe(2);
    expect(run.shown).toContain(`${mixed} line 2: not a valid claim: claimId is required`);
    expect(run.shown).toContain('claims: 5 answers not written to the terminal');
    expect(run.shown).not.toContain('"claimId":"OK-1"');
  });

  it('export names the error lines it skips', () => {
    // Prepare
    const settlements = fileOf(dir, 'with-errors.jsonl', claims(['replay', mixed]).stdout);

    // Act
    const run = onTerminal(['export', '--format', 'nhsa', settlements]);

    // Assess
    expect(run.status).toBe(0);
    expect(run.shown).toContain(`${settlements} line 4: error line of an invalid claim, skipped: (input) is not JSON`);
    expect(run.shown).toContain('claims: 2 nhsa records not written to the terminal');
  });

  it('generate says how to keep the claims instead of flooding the terminal', () => {
    // Act
    const run = onTerminal(['generate', '--count', '500']);

    // Assess
    expect(run.status).toBe(0);
    expect(linesOf(run.shown)).toEqual(['claims: 500 sample claims not written to the terminal: pipe or redirect stdout to keep them']);
  });

  it('a report is written to the terminal', () => {
    // Act
    const run = onTerminal(['policies']);

    // Assess
    expect(run.status).toBe(0);
    expect(run.shown).toContain('jinzhong-2017');
  });
});

describe('without a terminal', () => {
  it('replay writes the error objects to stdout and names no line on stderr, as before', () => {
    // Act
    const run = claims(['replay', mixed]);

    // Assess
    expect(run.status).toBe(2);
    expect(jsonLines(run.stdout).filter((line) => line['error'] === 'INVALID_CLAIM').map((line) => line['line'])).toEqual([2, 4, 5]);
    expect(run.stderr).not.toContain('line 2');
  });
});

describe('the terminal rule, said once', () => {
  it.each([['--help'], ['replay', '--help'], ['settle', '--help'], ['export', '--help'], ['generate', '--help']])('claims %s quotes it', (...args) => {
    // Act
    const run = claims(args);

    // Assess
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(TERMINAL_RULE);
  });

  it('docs/command-line.md quotes it word for word', () => {
    // Act
    const doc = readFileSync(join(ROOT, 'docs/command-line.md'), 'utf8');

    // Assess
    expect(doc).toContain(TERMINAL_RULE);
  });
});

describe('the Node version', () => {
  // The machine's own node, outside npm: older than 24 here. Found on PATH without node_modules/.bin.
  const machineNode = ['/usr/bin/node', '/usr/local/bin/node'].find((path) => existsSync(path));
  const major = machineNode ? Number(spawnSync(machineNode, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }).stdout.trim()) : 24;

  it.skipIf(machineNode === undefined || major >= 24)('an older node gets one line saying to use npx claims, and exit 1', () => {
    // Act
    const run = spawnSync(machineNode as string, [MAIN, 'replay', '--generate', '10'], { encoding: 'utf8' });

    // Assess
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^claims: needs Node 24 \(this is v\d+\.\d+\.\d+\): run it as npx claims\n$/);
  });
});

describe('hints for likely mistakes', () => {
  it('export given claims says they are claims, not settlements', () => {
    // Prepare
    const file = fileOf(dir, 'claims.jsonl', `${claimLine('C-1')}\n`);

    // Act
    const run = claims(['export', '--format', 'nhsa', file]);

    // Assess
    expect(run.status).toBe(1);
    expect(linesOf(run.stderr)).toEqual([`claims: ${file} line 1 is not a settlement: this looks like a claim, not a settlement: settle the claims first (claims replay CLAIMS.jsonl > settlements.jsonl)`]);
  });

  it('settle given a settlement says it is a settlement', () => {
    // Prepare
    const settlement = claims(['settle', '-'], claimLine('S-1')).stdout;

    // Act
    const run = claims(['settle', '-'], settlement);

    // Assess
    expect(run.status).toBe(2);
    expect(linesOf(run.stderr)).toEqual(['claims: not a claim: this looks like a settlement, not a claim: settlements are read by claims export, and by statement and reconcile with --settlements']);
  });

  it('settle given JSON Lines hints --lines', () => {
    // Act
    const run = claims(['settle', '-'], `${claimLine('L-1')}\n${claimLine('L-2')}\n`);

    // Assess
    expect(run.status).toBe(2);
    expect(linesOf(run.stderr)).toHaveLength(1);
    expect(run.stderr).toMatch(/^claims: invalid claim: .*; the input holds more than one JSON value: for JSON Lines \(one claim per line\) pass --lines\n$/);
  });

  it('reconcile given CSV in a file not named .csv hints --their-format csv', () => {
    // Prepare
    const claimsFile = fileOf(dir, 'one.jsonl', `${claimLine('R-1')}\n`);
    const theirs = fileOf(dir, 'theirs.txt', 'claim_id,discharge_date,medfee_sumamt,hifp_pay,hifmi_pay,maf_pay,oth_pay\nR-1,2018-03-14,1634.50,925.88,0.00,0.00,0.00\n');

    // Act
    const run = claims(['reconcile', '--hospital', 'H-0001', '--claims', claimsFile, theirs]);

    // Assess
    expect(run.status).toBe(1);
    expect(linesOf(run.stderr)).toHaveLength(1);
    expect(run.stderr).toMatch(/^claims: .*theirs\.txt line 1: .*; this looks like CSV: pass --their-format csv\n$/);
  });
});

describe("the contract's own messages and one-line errors", () => {
  it('an amount sent as a JSON number in a claim', () => {
    // Act
    const run = claims(['settle', '-'], numberAmountLine());

    // Assess
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('claims: invalid claim: items.0.amount must be a non-negative yuan amount with at most two decimals, as a string\n');
  });

  it('an amount sent as a JSON number in a policy overlay', () => {
    // Prepare
    const overlays = join(dir, 'number-overlay');
    mkdirSync(overlays, { recursive: true });
    fileOf(overlays, 'jinzhong-2017.json', JSON.stringify({ id: 'jinzhong-2017', version: '1.1.0', inpatient: { tiers: { 'class2-county': { deductible: 600 } } } }));

    // Act
    const run = claims(['policies', '--policies', overlays]);

    // Assess
    expect(run.status).toBe(1);
    expect(linesOf(run.stderr)).toHaveLength(1);
    expect(run.stderr).toMatch(/^claims: invalid policy .*: inpatient\.tiers\.class2-county\.deductible must be a yuan amount with at most two decimals, as a string\n$/);
  });

  it.each([
    ['generate', '--count', '-5'],
    ['whatif', 'x.jsonl', '--policies', 'docs/examples/deductible-600', '--top', '-1'],
  ])('claims %s … is one line on stderr with exit 64', (...args) => {
    // Act
    const run = claims(args);

    // Assess
    expect(run.status).toBe(64);
    expect(linesOf(run.stderr)).toHaveLength(1);
    expect(run.stderr).toMatch(/^claims: /);
  });

  it('a registry that is not JSON is one line starting claims:', () => {
    // Prepare
    const file = fileOf(dir, 'registry.json', '{ not json');

    // Act
    const run = claims(['registry', 'load', file, '--table', 't', '--endpoint', 'http://127.0.0.1:9']);

    // Assess
    expect(run.status).toBe(2);
    expect(linesOf(run.stderr)).toHaveLength(1);
    expect(run.stderr).toMatch(/^claims: .*registry\.json is not JSON/);
  });
});

describe('a UTF-8 byte order mark', () => {
  const BOM = '\uFEFF';

  it.each([
    ['settle', (file: string) => ['settle', file], `${BOM}${claimLine('B-1')}`],
    ['settle --lines', (file: string) => ['settle', '--lines', file], `${BOM}${claimLine('B-1')}\n`],
    ['replay', (file: string) => ['replay', file], `${BOM}${claimLine('B-1')}\n`],
    ['whatif', (file: string) => ['whatif', file, '--policies', 'docs/examples/deductible-600'], `${BOM}${claimLine('B-1')}\n`],
  ])('is accepted by %s', (_name, argsOf, text) => {
    // Prepare
    const file = fileOf(dir, `bom-${_name.replace(/\W/g, '')}.json`, text);

    // Act
    const run = claims(argsOf(file));

    // Assess
    expect(run.stderr).not.toContain('INVALID');
    expect(run.status).toBe(0);
  });

  it('is accepted in a policy overlay and in the hospital CSV', () => {
    // Prepare
    const overlays = join(dir, 'bom-overlay');
    mkdirSync(overlays, { recursive: true });
    fileOf(overlays, 'jinzhong-2017.json', `${BOM}${readFileSync(join(ROOT, 'docs/examples/deductible-600/jinzhong-2017.json'), 'utf8')}`);
    const claimsFile = fileOf(dir, 'bom-one.jsonl', `${claimLine('R-1')}\n`);
    const theirs = fileOf(dir, 'bom-theirs.csv', `${BOM}claim_id,discharge_date,medfee_sumamt,hifp_pay,hifmi_pay,maf_pay,oth_pay\nR-1,2018-03-14,1634.50,925.88,0.00,0.00,0.00\n`);

    // Act
    const policies = claims(['policies', '--policies', overlays]);
    const reconcile = claims(['reconcile', '--hospital', 'H-0001', '--claims', claimsFile, theirs]);

    // Assess
    expect(policies.status).toBe(0);
    expect(reconcile.status).toBe(0);
    expect(reconcile.stderr).toContain('1 matched');
  });
});

describe('empty and unknown inputs', () => {
  let empty: string;
  let claimsFile: string;
  beforeAll(() => {
    empty = fileOf(dir, 'empty.jsonl', '');
    claimsFile = fileOf(dir, 'known.jsonl', `${claimLine('K-1')}\n${claimLine('K-2')}\n`);
  });

  it.each([
    ['replay', () => ['replay', empty], 'has no claims: nothing was replayed'],
    ['settle --lines', () => ['settle', '--lines', empty], 'has no claims: nothing was settled'],
    ['export', () => ['export', '--format', 'nhsa', empty], 'has no settlements: nothing was exported'],
    ['whatif', () => ['whatif', empty, '--policies', 'docs/examples/deductible-600'], 'has no claims: nothing changes'],
  ])('%s of an empty file warns on one line and exits 3', (_name, argsOf, warning) => {
    // Act
    const run = claims(argsOf());

    // Assess
    expect(run.status).toBe(3);
    expect(run.stderr.split('\n').filter((line) => line.startsWith('claims: warning: '))).toEqual([`claims: warning: ${empty} ${warning}${warning.endsWith('changes') ? ' because nothing was replayed' : ''}`]);
  });

  it('statement of an unknown hospital warns, naming the hospitals there are, and exits 3', () => {
    // Act
    const run = claims(['statement', '--hospital', 'NOPE', '--from', '2018-01-01', '--to', '2018-12-31', '--claims', claimsFile]);

    // Assess
    expect(run.status).toBe(3);
    expect(run.stderr).toBe(`claims: warning: hospital NOPE is in none of the 2 records of ${claimsFile} (they name H-0001)\n`);
  });

  it('statement of a known hospital with nothing in the period is a statement of zeros, exit 0', () => {
    // Act
    const run = claims(['statement', '--hospital', 'H-0001', '--from', '2019-01-01', '--to', '2019-01-31', '--claims', claimsFile]);

    // Assess
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
  });

  it('reconcile against an empty hospital file warns and exits 3', () => {
    // Prepare
    const theirs = fileOf(dir, 'empty-theirs.csv', '');

    // Act
    const run = claims(['reconcile', '--hospital', 'H-0001', '--claims', claimsFile, theirs]);

    // Assess
    expect(run.status).toBe(3);
    expect(run.stderr).toContain(`claims: warning: ${theirs} has no records (an empty file, or a header only)`);
    expect(jsonLines(run.stdout).at(-1)).toMatchObject({ summary: { onlyOurs: 2 } });
  });
});
