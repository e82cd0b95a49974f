/** Running the built `claims` command in tests. */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { workedCase } from '../support/cases.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const MAIN = join(ROOT, 'dist/cli/main.js');
export const OVERLAYS = join(ROOT, 'test/fixtures/overlays');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Builds dist/ when it is missing or older than the sources, so that `npx vitest run test/cli` after
 * an edit never tests a stale build (`npm test` builds first anyway).
 */
export function ensureBuilt(): void {
  const sources = Math.max(newestSource(join(ROOT, 'cli')), newestSource(join(ROOT, 'shared')));
  if (existsSync(MAIN) && statSync(MAIN).mtimeMs >= sources) return;
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
}

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `claims ARGS…` with the node running the tests, feeding `input` on stdin. */
export function claims(args: readonly string[], input = ''): Run {
  const result = spawnSync(process.execPath, [MAIN, ...args], { cwd: ROOT, input, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The claim of a worked case. */
export function caseClaim(id: string): Record<string, unknown> {
  return workedCase(id).claim as Record<string, unknown>;
}

/** The JSON objects of JSON Lines output. */
export function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
