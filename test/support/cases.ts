/**
 * The worked cases: claims with their expected settlement, kept in `test/cases/`. When a folder of
 * further cases sits beside the clone (`../shared/cases`), its cases run too, without code changes;
 * a file there with the same name as one here replaces it, so an updated expectation wins.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The cases that ship with the repository. */
export const CASES_DIR = resolve(import.meta.dirname, '../cases');
/** Optional further cases beside the clone; absent in a bare clone. */
export const EXTRA_CASES_DIR = resolve(import.meta.dirname, '../../../shared/cases');

export interface WorkedCase {
  readonly id: string;
  readonly title: string;
  readonly readings: string;
  readonly claim: unknown;
  readonly expected: {
    readonly policy: string | null;
    readonly year: number;
    readonly status: 'settled' | 'rejected';
    readonly rejection?: { readonly code: string };
    readonly amounts: Record<string, string>;
    readonly yearToDate: Record<string, string | number | boolean>;
  };
}

function jsonFiles(folder: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!existsSync(folder)) return files;
  for (const name of readdirSync(folder)) if (name.endsWith('.json')) files.set(name, join(folder, name));
  return files;
}

/** The path of every worked case, by file name, sorted: the repository's, then any from beside it. */
export function workedCasePaths(): string[] {
  const files = new Map([...jsonFiles(CASES_DIR), ...jsonFiles(EXTRA_CASES_DIR)]);
  return [...files.keys()].sort().map((name) => files.get(name)!);
}

/** Every worked case, in file-name order. */
export function workedCases(): WorkedCase[] {
  return workedCasePaths().map((path) => JSON.parse(readFileSync(path, 'utf8')) as WorkedCase);
}

/** The worked case with this id (the file `ID.json`). */
export function workedCase(id: string): WorkedCase {
  const found = workedCasePaths().find((path) => path.endsWith(`/${id}.json`));
  if (found === undefined) throw new Error(`no worked case ${id}`);
  return JSON.parse(readFileSync(found, 'utf8')) as WorkedCase;
}
