import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ALLOWANCES, MAX_CORE_FUNCTION_LINES, MAX_FILE_LINES, checkFileSize, checkFunctionSizes, checkSizes, statedReason } from './size.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** `count` lines of code, each a statement. */
const lines = (count: number, indent = ''): string[] => Array.from({ length: count }, (_, i) => `${indent}const v${i} = ${i};`);

describe('files a newcomer can read, functions of the core that fit a screen', () => {
  it('no product file is over the limit without a stated reason, no core function over its limit', () => {
    // Prepare: the repository as it is

    // Act
    const { files, violations, staleAllowances } = checkSizes(root);

    // Assess: the checker really read the product folders and found nothing. An allowance that no longer
    // excuses anything is said, not failed: the file's own work may shorten it before this list is edited.
    expect(files).toBeGreaterThan(100);
    expect(violations).toEqual([]);
    if (staleAllowances.length > 0) console.warn(`size allowances no longer needed, remove them from test/architecture/size.ts: ${staleAllowances.join(', ')}`);
    for (const reason of Object.values(ALLOWANCES)) expect(reason.split(' ').length).toBeGreaterThan(5);
  });

  it('an allowance excuses only what it names, and one that excuses nothing is reported', () => {
    // Prepare: no allowances at all, and the real ones with one that names nothing
    const stale = 'cli/no-such-file.ts';

    // Act
    const without = checkSizes(root, {});
    const withStale = checkSizes(root, { ...ALLOWANCES, [stale]: 'a reason for a file that is not there' });

    // Assess: without allowances exactly the allowed places fail; the stale entry is named
    expect(without.violations.map((v) => (v.where === '(file)' ? v.file : `${v.file}#${v.where.replace(/ \(line \d+\)$/, '')}`)).sort()).toEqual(
      Object.keys(ALLOWANCES).sort(),
    );
    expect(withStale.staleAllowances).toEqual([stale]);
  });

  it('catches a long file unless its leading comment says why', () => {
    // Prepare: a file one line over the limit, bare, with a reason, and with a placeholder for one
    const body = lines(MAX_FILE_LINES + 1).join('\n');
    const bare = body;
    const reasoned = `/**\n * A catalogue.\n *\n * size: one table, one row per kind, read as a whole.\n */\n${body}`;
    const lineComment = `// size: the generated table of every region, kept in one file\n${body}`;
    const placeholder = `/** size: TODO */\n${body}`;
    const reasonInsideCode = `${body}\n// size: a reason that is not at the top does not count`;

    // Act
    const found = [bare, reasoned, lineComment, placeholder, reasonInsideCode].map((source) => checkFileSize('cli/big.ts', source));

    // Assess: only the two files that state a reason at their top pass
    expect(found.map((violations) => violations.length)).toEqual([1, 0, 0, 1, 1]);
    expect(found[0]).toEqual([{ file: 'cli/big.ts', where: '(file)', lines: MAX_FILE_LINES + 1, limit: MAX_FILE_LINES }]);
    expect(statedReason(reasoned)).toBe('one table, one row per kind, read as a whole.');
  });

  it('catches each form of a long function in a synthetic core file, nested ones too', () => {
    // Prepare: a declaration, an arrow, a method and a nested function over the limit; a short one; a long object literal
    const long = MAX_CORE_FUNCTION_LINES - 1; // the body lines; with the opening and closing lines, one over
    const source = [
      'export function declared(): void {',
      ...lines(long, '  '),
      '}',
      'const arrow = (): void => {',
      ...lines(long, '  '),
      '};',
      'class Engine {',
      '  settle(): void {',
      ...lines(long, '    '),
      '  }',
      '}',
      'function outer(): void {',
      '  function inner(): void {',
      ...lines(long, '    '),
      '  }',
      '}',
      'function short(): void {',
      ...lines(3, '  '),
      '}',
      'const TABLE = {',
      ...Array.from({ length: 100 }, (_, i) => `  k${i}: ${i},`),
      '};',
    ].join('\n');

    // Act
    const violations = checkFunctionSizes('shared/engine/bad.ts', source);

    // Assess: the four long functions, named, and the outer function that holds one; neither the short function nor the table
    expect(violations.map((v) => [v.where.replace(/ \(line \d+\)$/, ''), v.lines])).toEqual([
      ['declared', MAX_CORE_FUNCTION_LINES + 1],
      ['arrow', MAX_CORE_FUNCTION_LINES + 1],
      ['settle', MAX_CORE_FUNCTION_LINES + 1],
      ['outer', MAX_CORE_FUNCTION_LINES + 3],
      ['inner', MAX_CORE_FUNCTION_LINES + 1],
    ]);
    expect(violations[0]?.where).toBe('declared (line 1)');
  });
});
