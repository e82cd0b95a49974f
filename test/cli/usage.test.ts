/** The command line's words: help on every command, usage errors as one line with exit 64. */
import { beforeAll, describe, expect, it } from 'vitest';
import { claims, ensureBuilt } from './helpers.js';

beforeAll(() => {
  ensureBuilt();
});

describe('claims usage', () => {
  it('lists every command in claims --help', () => {
    // Act
    const run = claims(['--help']);

    // Assess
    expect(run.status).toBe(0);
    for (const command of ['settle', 'replay', 'generate', 'policies']) expect(run.stdout).toContain(`  ${command}`);
  });

  it.each(['settle', 'replay', 'generate', 'policies'])('shows the help of %s', (command) => {
    // Act
    const run = claims([command, '--help']);

    // Assess
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Usage: claims ${command}`));
    expect(run.stderr).toBe('');
  });

  it.each([
    ['an unknown command', ['settel', 'x.json']],
    ['no command', []],
    ['an unknown option of settle', ['settle', '--fast', 'x.json']],
    ['an unknown option of replay', ['replay', '--fast', 'x.jsonl']],
    ['an unknown option of generate', ['generate', '--fast']],
    ['an unknown option of policies', ['policies', '--yaml']],
    ['a bad --format', ['settle', '--format', 'xml', 'x.json']],
    ['settle without a file', ['settle']],
  ])('answers %s with one line on stderr and exit 64', (_name, args) => {
    // Act
    const run = claims(args);

    // Assess
    expect(run.status).toBe(64);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^claims: /);
  });
});
