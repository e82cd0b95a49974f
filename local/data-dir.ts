/**
 * The local stack's data folder as a good citizen: readable by this user only, and used by one stack
 * at a time. Two stacks on one folder would run two DynamoDB Local processes on one database file and
 * two SQLite writers on one queue file.
 */
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalStackError } from './errors.js';

/** The lock file's name inside the data folder: it holds the pid of the stack using the folder. */
export const LOCK_FILE = 'stack.lock';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: a process of another user has that pid, so it is alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Creates `dir` (0700; an existing one is narrowed to 0700), makes every file this process and its
 * children create there 0600 (umask 077), and takes the folder's lock.
 * @returns a release function that removes the lock.
 * @throws LocalStackError naming the pid when another live stack holds the lock.
 */
export function claimDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  // Java (DynamoDB Local's data file) and SQLite create their files with the process umask.
  process.umask(0o077);
  const lock = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return () => {
        try {
          if (readFileSync(lock, 'utf8').trim() === String(process.pid)) rmSync(lock, { force: true });
        } catch {
          // Already gone.
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(lock, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && alive(holder)) {
        throw new LocalStackError(`${dir} is in use by another local stack (pid ${holder}); stop it first, or start with another --data`);
      }
      // A stack that died without releasing it (kill -9): its children died with it, so take over.
      rmSync(lock, { force: true });
    }
  }
  throw new LocalStackError(`could not take the lock ${lock}`);
}
