/** Where the handlers live, found from this file so the app works from `infra/` (tsx) and `dist/infra/` (tsc). */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root: the nearest folder above this file that holds `package-lock.json`
 * (`dist/` has none, so the compiled app finds the same root as the TypeScript one).
 */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package-lock.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package-lock.json not found above infra/: run from the repository');
    dir = parent;
  }
  return dir;
}

/** The TypeScript source of a handler, e.g. `handlerEntry('settle')` → `<root>/functions/settle/handler.ts`. */
export function handlerEntry(name: string): string {
  const entry = join(projectRoot(), 'functions', name, 'handler.ts');
  if (!existsSync(entry)) throw new Error(`handler ${entry} does not exist`);
  return entry;
}
