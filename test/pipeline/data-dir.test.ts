/**
 * The local stack's data folder: created 0700, files in it 0600, and a second stack on a folder in
 * use is refused with the pid that holds it; a lock left by a dead stack is taken over.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCK_FILE, claimDataDir } from '../../local/data-dir.js';

describe('the local data folder', () => {
  const root = mkdtempSync(join(tmpdir(), 'claims-data-'));
  const previousUmask = process.umask();
  afterAll(() => {
    process.umask(previousUmask);
    rmSync(root, { recursive: true, force: true });
  });

  it('is 0700 with 0600 files, and refuses a second stack while the first holds it', () => {
    // Prepare
    const dir = join(root, 'data');

    // Act
    const release = claimDataDir(dir);
    writeFileSync(join(dir, 'some-file'), 'x');
    const second = (): unknown => claimDataDir(dir);

    // Assess
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'some-file')).mode & 0o777).toBe(0o600);
    expect(second).toThrow(new RegExp(`in use by another local stack \\(pid ${process.pid}\\)`));
    release();
    expect(() => claimDataDir(dir)()).not.toThrow();
  });

  it('takes over the lock of a stack that died without releasing it', () => {
    // Prepare: the pid of a process that has exited.
    const dir = join(root, 'stale');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    claimDataDir(dir)();
    writeFileSync(join(dir, LOCK_FILE), `${dead}\n`);

    // Act
    const release = claimDataDir(dir);

    // Assess
    release();
    expect(Number(dead)).toBeGreaterThan(0);
  });
});
