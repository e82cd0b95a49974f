/** Running the built `claims` command on a pseudo-terminal, as a person at a terminal runs it. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAIN, ROOT, type Run, caseClaim } from './helpers.js';

const quote = (word: string): string => `'${word.replaceAll("'", `'\\''`)}'`;

/**
 * Runs `claims ARGS…` with stdout and stderr on a pseudo-terminal (`script` of util-linux), so both
 * are terminals, and returns what the terminal showed (both streams, in order, `\r\n` made `\n`,
 * cursor controls removed) with the exit status.
 */
export function onTerminal(args: readonly string[], cwd = ROOT): { status: number | null; shown: string } {
  const command = [process.execPath, MAIN, ...args].map(quote).join(' ');
  const result = spawnSync('script', ['-qec', command, '/dev/null'], { cwd, encoding: 'utf8', input: '', env: { ...process.env, TERM: 'dumb' } });
  // eslint-disable-next-line no-control-regex
  const shown = result.stdout.replaceAll('\r\n', '\n').replace(/\r?\x1b\[K/g, '').replaceAll('\r', '');
  return { status: result.status, shown };
}

/** A fresh directory for a test's files. */
export function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'claims-person-'));
}

/** Writes `text` to `name` in `dir` and returns its path. */
export function fileOf(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** A valid claim line (a worked case, with a claim id of its own so lines do not collide). */
export function claimLine(id: string, caseId = 'JZ01'): string {
  return JSON.stringify({ ...caseClaim(caseId), claimId: id });
}

/** A claim whose first item amount is a JSON number, the commonest contract mistake. */
export function numberAmountLine(): string {
  const claim = caseClaim('JZ01') as { items: Record<string, unknown>[] };
  return JSON.stringify({ ...claim, claimId: 'NUM-1', items: [{ ...claim.items[0], amount: 12.5 }, ...claim.items.slice(1)] });
}

export type { Run };
