/** Loads operator overlay policy files from a directory (`--policies DIR`). */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BUILT_IN_PACKS, type PolicyBook, type PolicySource, buildPolicyBook, builtInPolicyBook } from '../shared/policy/book.js';
import { PolicyError } from '../shared/policy/errors.js';
import { CliError } from './errors.js';
import { stripBom } from './io.js';

/** Reads every `*.json` file of `dir`, in name order, as a policy document. */
export async function readPolicyDirectory(dir: string): Promise<PolicySource[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  } catch (cause) {
    throw new CliError(`cannot read the policies directory ${dir}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`, 1, { cause });
  }
  return Promise.all(
    names.map(async (name) => {
      const path = join(dir, name);
      try {
        return { source: path, document: JSON.parse(stripBom(await readFile(path, 'utf8'))) as unknown };
      } catch (cause) {
        throw new CliError(`cannot read policy file ${path}: ${(cause as Error).message}`, 1, { cause });
      }
    }),
  );
}

/** The built-in policy book, with the overlays of `dir` applied when one is given. */
export async function loadPolicyBook(dir: string | undefined): Promise<PolicyBook> {
  try {
    if (dir === undefined) return builtInPolicyBook();
    return buildPolicyBook(BUILT_IN_PACKS, await readPolicyDirectory(dir));
  } catch (cause) {
    if (cause instanceof PolicyError) throw new CliError(cause.message, 1, { cause });
    throw cause;
  }
}
