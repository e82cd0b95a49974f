/**
 * zod is imported as a namespace of its named exports (`import * as z from 'zod'`), never as its `z`
 * object (`import { z } from 'zod'`, the default export): the object holds every export, the 40-odd
 * locales included, so esbuild keeps all of it (376 KB of the settle bundle instead of 96 KB) and every
 * cold start parses it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Every TypeScript file under the folders that Lambda bundles. */
function sources(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** An import of zod's whole object: the named `z`, or the default export. */
const WHOLE_ZOD = /import\s+(?:type\s+)?(?:\{[^}]*\bz\b[^}]*\}|[A-Za-z_$][\w$]*)\s+from\s+['"]zod['"]/;

describe('zod imports', () => {
  it('the bundled code imports zod as a namespace of named exports', () => {
    // Prepare
    const files = ['shared', 'functions'].flatMap(sources);
    // Act
    const whole = files.filter((file) => WHOLE_ZOD.test(readFileSync(file, 'utf8'))).map((file) => relative(root, file));
    const users = files.filter((file) => readFileSync(file, 'utf8').includes("from 'zod'"));
    // Assess
    expect(users.length).toBeGreaterThan(0);
    expect(whole).toEqual([]);
  });

  it('the check tells the whole object from the namespace', () => {
    // Assess
    expect(WHOLE_ZOD.test("import { z } from 'zod';")).toBe(true);
    expect(WHOLE_ZOD.test("import z from 'zod';")).toBe(true);
    expect(WHOLE_ZOD.test("import { type ZodType, z } from 'zod';")).toBe(true);
    expect(WHOLE_ZOD.test("import * as z from 'zod';")).toBe(false);
  });
});
