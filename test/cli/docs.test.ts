/**
 * Every example of README.md and docs/*.md runs as written from a bare clone: the commands and the
 * output shown are read from the docs, each command is run in a copy of the repository's files (with
 * the installed node_modules and the built dist/, which is what `npm ci` leaves), and its exit status
 * and output are checked against the doc. test/cli/doc-examples.ts says what else is needed per command.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { NOT_RUN, RUN, type RunExample } from './doc-examples.js';
import { MAIN, ROOT, ensureBuilt } from './helpers.js';

/** One command found in a doc, with the output the doc shows for it (possibly none). */
interface Documented {
  readonly command: string;
  readonly line: string;
  readonly shows: string | undefined;
}

const DOCS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];

/** A line of a doc without its trailing `# comment`. */
const withoutComment = (line: string): string => line.replace(/\s+#\s.*$/, '').trim();

/**
 * The commands of a doc in order: every line of a ```sh block (a trailing `\` joins the next), every
 * `$ ` line of a transcript (a block with such lines) (the lines after it, to the next `$ `, are its output), and inline code
 * that starts with `npx claims`. A ```sh block of one command followed at once by another block has
 * that block as its output.
 */
export function documentedCommands(text: string): Documented[] {
  const found: Documented[] = [];
  const lines = text.split('\n');
  let i = 0;
  const inline = (line: string) => {
    for (const match of line.matchAll(/`(npx claims [^`]+)`/g)) found.push({ command: (match[1] as string).trim(), line: match[1] as string, shows: undefined });
  };
  while (i < lines.length) {
    const fence = /^```(\w*)\s*$/.exec(lines[i] as string);
    if (!fence) {
      inline(lines[i] as string);
      i += 1;
      continue;
    }
    const body: string[] = [];
    i += 1;
    while (i < lines.length && !(lines[i] as string).startsWith('```')) body.push(lines[i++] as string);
    i += 1;
    // A block with `$ ` lines is a transcript, whatever its tag.
    if (fence[1] === 'sh' && !body.some((line) => line.startsWith('$ '))) {
      const commands: Documented[] = [];
      for (let k = 0; k < body.length; k += 1) {
        let line = body[k] as string;
        while (line.endsWith('\\') && k + 1 < body.length) line = `${line.slice(0, -1)}${(body[++k] as string).trim()}`;
        if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
        commands.push({ command: withoutComment(line), line, shows: undefined });
      }
      // The output block that follows at once, if any.
      let next = i;
      while (next < lines.length && (lines[next] as string).trim() === '') next += 1;
      const output = /^```(\w*)\s*$/.exec(lines[next] ?? '');
      if (commands.length === 1 && output && output[1] !== 'sh' && next - i <= 1) {
        const shown: string[] = [];
        let k = next + 1;
        while (k < lines.length && !(lines[k] as string).startsWith('```')) shown.push(lines[k++] as string);
        commands[0] = { ...(commands[0] as Documented), shows: shown.join('\n') };
      }
      found.push(...commands);
    } else {
      let current: { command: string; line: string; shown: string[] } | undefined;
      const flush = () => {
        if (current) found.push({ command: current.command, line: current.line, shows: current.shown.join('\n') });
      };
      for (const line of body) {
        if (line.startsWith('$ ')) {
          flush();
          current = { command: withoutComment(line.slice(2)), line: line.slice(2), shown: [] };
        } else current?.shown.push(line);
      }
      flush();
    }
  }
  return found;
}

/** The pieces of a shown output, cut at every `…` (which stands for what the doc leaves out). */
const piecesOf = (shown: string): string[] =>
  shown
    .split('\n')
    .flatMap((line) => line.split('…'))
    .map((piece) => piece.trim())
    .filter((piece) => piece !== '');

/** Where the first shown piece is missing from `actual` (in order), or undefined when all are there. */
function firstMissing(shown: string, actual: string): string | undefined {
  let at = 0;
  for (const piece of piecesOf(shown)) {
    const found = actual.indexOf(piece, at);
    if (found < 0) return piece;
    at = found + piece.length;
  }
  return undefined;
}

/** The text as compared: volatile parts made `…`, and wrapped JSON joined again. */
function blur(text: string, example: RunExample): string {
  const steady = (example.volatile ?? []).reduce((t, pattern) => t.replace(pattern, '…'), text);
  return example.wrapped ? steady.replace(/([{[,:])\s+/g, '$1').replace(/\s+([}\]])/g, '$1') : steady;
}

const docCommands = new Map(DOCS.map((doc) => [doc, documentedCommands(readFileSync(join(ROOT, doc), 'utf8'))]));
const runOf = (doc: string, command: string): RunExample | undefined => RUN.find((example) => example.doc === doc && example.command === command);

describe('the list of documented commands', () => {
  it.each(DOCS)('every command of %s is run or says why not', (doc) => {
    // Act
    const unlisted = (docCommands.get(doc) ?? [])
      .map((found) => found.command)
      .filter((command) => runOf(doc, command) === undefined && !NOT_RUN.some((entry) => entry.doc === doc && entry.command.test(command)));

    // Assess
    expect(unlisted).toEqual([]);
  });

  it('every listed command is still in its doc', () => {
    // Act
    const gone = RUN.filter((example) => !(docCommands.get(example.doc) ?? []).some((found) => found.command === example.command));

    // Assess
    expect(gone).toEqual([]);
  });
});

/** A bare clone: the repository's files, with node_modules and dist/ as `npm ci` leaves them. */
function bareClone(): string {
  const dir = mkdtempSync(join(tmpdir(), 'claims-docs-'));
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    mkdirSync(join(dir, dirname(file)), { recursive: true });
    try {
      cpSync(join(ROOT, file), join(dir, file));
    } catch {
      // A file deleted in the work tree but not yet in git: a bare clone would not have it either.
    }
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
  return dir;
}

/**
 * A directory holding an `npx` that runs `claims` straight from the clone's dist/ on the Node running
 * the tests (Node 24, the one npx would pick from node_modules): what `npx claims` resolves to, without
 * npm's own start-up on every one of dozens of commands. One test below runs the real npx once.
 */
function npxShim(clone: string): string {
  const bin = mkdtempSync(join(tmpdir(), 'claims-docs-bin-'));
  const realNpx = execFileSync('sh', ['-c', 'command -v npx'], { encoding: 'utf8' }).trim();
  const shim = join(bin, 'npx');
  writeFileSync(
    shim,
    `#!/bin/sh\nif [ "$1" = claims ]; then shift; exec '${process.execPath}' '${join(clone, 'dist/cli/main.js')}' "$@"; fi\nexec '${realNpx}' "$@"\n`,
  );
  chmodSync(shim, 0o755);
  return bin;
}

describe.each(DOCS.filter((doc) => RUN.some((example) => example.doc === doc)))('the examples of %s', (doc) => {
  let clone: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(() => {
    ensureBuilt();
    clone = bareClone();
    env = { ...process.env, PATH: `${npxShim(clone)}:${join(ROOT, 'node_modules/.bin')}:${process.env['PATH'] ?? ''}` };
  }, 600_000);

  const examples = (docCommands.get(doc) ?? []).filter((found) => runOf(doc, found.command) !== undefined);
  it.each(examples.map((found, index) => [`${index + 1}. ${found.command}`, found] as const))('%s', (_name, found) => {
    // Prepare
    const example = runOf(doc, found.command) as RunExample;

    // Act
    const run = spawnSync('bash', ['-o', 'pipefail', '-c', found.line], { cwd: clone, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });

    // Assess
    expect({ exit: run.status, stderr: run.status === (example.exit ?? 0) ? '' : run.stderr }).toEqual({ exit: example.exit ?? 0, stderr: '' });
    if (found.shows !== undefined && found.shows.trim() !== '') {
      expect(firstMissing(blur(found.shows, example), blur(`${run.stdout}\n${run.stderr}`, example))).toBeUndefined();
    }
  }, 600_000);
});

describe('npx claims itself', () => {
  it('resolves to the built command in a bare clone', () => {
    // Prepare
    ensureBuilt();
    const clone = bareClone();

    // Act
    const run = spawnSync('npx', ['claims', '--help'], { cwd: clone, encoding: 'utf8' });

    // Assess
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: claims COMMAND/);
    expect(MAIN).toContain('dist/cli/main.js');
  }, 600_000);
});
