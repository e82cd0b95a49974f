/**
 * docs/architecture.md names the files where each kind of change goes; a file moved or renamed
 * without the doc would send a newcomer to a place that is not there.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The repository paths a doc names in code spans: a top folder and a path under it, without placeholders. */
export function namedPaths(text: string, topFolders: readonly string[]): string[] {
  const spans = [...text.matchAll(/`([^`\s]+)`/g)].map((match) => match[1] as string);
  return [...new Set(spans.filter((span) => topFolders.some((top) => span.startsWith(`${top}/`)) && !/[<*]/.test(span)))];
}

describe('docs/architecture.md', () => {
  const text = readFileSync(join(root, 'docs', 'architecture.md'), 'utf8');

  it('names only paths that exist', () => {
    // Prepare
    const paths = namedPaths(text, ['shared', 'functions', 'cli', 'local', 'infra', 'tools', 'bench', 'test']);

    // Act
    const missing = paths.filter((path) => !existsSync(join(root, path)));

    // Assess: the doc really names files, and every one is there
    expect(paths.length).toBeGreaterThan(20);
    expect(missing).toEqual([]);
  });

  it('reads paths out of code spans, leaving placeholders and prose alone', () => {
    // Act
    const paths = namedPaths('see `shared/engine/settle.ts`, `functions/<name>/app.ts`, `shared/policy/packs/*.json` and `npm run packs`', ['shared', 'functions']);

    // Assess
    expect(paths).toEqual(['shared/engine/settle.ts']);
  });

  it('is linked from the README', () => {
    // Act
    const readme = readFileSync(join(root, 'README.md'), 'utf8');

    // Assess
    expect(readme).toContain('(docs/architecture.md)');
  });
});
