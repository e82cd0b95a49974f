/** The generated index of the built-in packs (`npm run packs`): current, and a new pack file is all it takes. */
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_PACKS } from '../../shared/policy/book.js';
import { packIndexSource, packsFolder } from '../../tools/pack-index.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FOLDER = packsFolder(ROOT);

describe('the built-in pack index', () => {
  it('is current: it lists exactly the pack files of shared/policy/packs/ (run npm run packs when this fails)', () => {
    // Prepare
    const committed = readFileSync(join(FOLDER, 'index.ts'), 'utf8');

    // Act
    const generated = packIndexSource(FOLDER);

    // Assess
    expect(committed).toBe(generated);
    const files = readdirSync(FOLDER).filter((name) => name.endsWith('.json')).map((name) => `built-in:${name.replace(/\.json$/, '')}`);
    expect(BUILT_IN_PACKS.map((pack) => pack.source)).toEqual(files.sort());
  });

  it('picks up a sixth pack from its file alone', () => {
    // Prepare: a copy of the packs folder with one more file
    const folder = mkdtempSync(join(tmpdir(), 'claims-packs-'));
    for (const name of readdirSync(FOLDER).filter((n) => n.endsWith('.json'))) copyFileSync(join(FOLDER, name), join(folder, name));
    writeFileSync(join(folder, 'datong-2021.json'), '{}');

    // Act
    const source = packIndexSource(folder);

    // Assess
    expect(source).toContain("import pack_datong_2021 from './datong-2021.json' with { type: 'json' };");
    expect(source).toContain("{ name: 'datong-2021', document: pack_datong_2021 },");
    expect(source.match(/^import /gm)).toHaveLength(6);
  });
});
