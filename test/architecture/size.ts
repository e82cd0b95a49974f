/**
 * The size rule of the product, as code: a source file a newcomer opens fits in one reading, and a
 * function of the core fits on one screen.
 *
 * - No file under the product's folders is longer than {@link MAX_FILE_LINES} lines unless its leading
 *   comment says why, in a line `size: <reason>` (as `// size: …` or a TSDoc line ` * size: …`): a
 *   catalogue, a table or a file being edited elsewhere may be long on purpose, but it says so.
 * - No function, method or arrow function in the core (`shared/`) is longer than
 *   {@link MAX_CORE_FUNCTION_LINES} lines, counted from its first line to its last, nested functions
 *   included. Functions are found with the TypeScript compiler's parser, not with patterns.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/** The folders whose files the size rule covers. */
export const PRODUCT_FOLDERS: readonly string[] = ['shared', 'functions', 'cli', 'local', 'infra', 'tools', 'bench'];
/** The longest a file may be without a stated reason. */
export const MAX_FILE_LINES = 300;
/** The longest a function of the core may be. */
export const MAX_CORE_FUNCTION_LINES = 60;

/**
 * Places allowed over the limit, each with its reason, by `file` or `file#function`: for a file that
 * cannot state its reason itself right now (its area is being rewritten elsewhere). An entry that no
 * longer matches a violation is reported by the check, to be removed: the list only shrinks.
 */
export const ALLOWANCES: Readonly<Record<string, string>> = {
  'shared/national/setlinfo.ts':
    'the national settlement record, 41 setlinfo fields and the fund rows, mapped field by field as docs/national-interface.md lists them',
  'shared/national/visit.ts': 'a national visit built up over its calls, each transition beside the others so their order is read in one place',
};

/** One place that breaks the rule. */
export interface SizeViolation {
  /** The file, relative to the repository root with `/` separators. */
  readonly file: string;
  /** The function's name (or `(file)` for the file itself) and its first line. */
  readonly where: string;
  readonly lines: number;
  readonly limit: number;
}

/** The reason a file states at its top for being long (`size: …` in its leading comment), or undefined. */
export function statedReason(source: string): string | undefined {
  const leading = ts.getLeadingCommentRanges(source, 0) ?? [];
  for (const range of leading) {
    const text = source.slice(range.pos, range.end);
    const match = /^\s*(?:\/\/|\/?\*+)\s*size:\s*(.+?)\s*(?:\*\/)?$/im.exec(text);
    // A reason is words, not a placeholder: at least a few of them.
    if (match?.[1] !== undefined && match[1].trim().split(/\s+/).length >= 4) return match[1].trim();
  }
  return undefined;
}

/** Line count of a source text, a final newline not counted as a line of its own. */
function lineCount(source: string): number {
  if (source.length === 0) return 0;
  return source.split('\n').length - (source.endsWith('\n') ? 1 : 0);
}

/** The file's own violation: too long, no reason stated. */
export function checkFileSize(file: string, source: string, limit = MAX_FILE_LINES): SizeViolation[] {
  const lines = lineCount(source);
  if (lines <= limit || statedReason(source) !== undefined) return [];
  return [{ file, where: '(file)', lines, limit }];
}

function functionName(node: ts.FunctionLikeDeclaration, sourceFile: ts.SourceFile): string {
  if (node.name !== undefined) return node.name.getText(sourceFile);
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) {
    return parent.name.getText(sourceFile);
  }
  return ts.isConstructorDeclaration(node) ? 'constructor' : '(anonymous)';
}

/** Each function of one source text longer than `limit` lines. */
export function checkFunctionSizes(file: string, source: string, limit = MAX_CORE_FUNCTION_LINES): SizeViolation[] {
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const violations: SizeViolation[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
      const fn = node as ts.FunctionLikeDeclaration;
      const first = sourceFile.getLineAndCharacterOfPosition(fn.getStart(sourceFile)).line;
      const last = sourceFile.getLineAndCharacterOfPosition(fn.getEnd()).line;
      const lines = last - first + 1;
      if (lines > limit) violations.push({ file, where: `${functionName(fn, sourceFile)} (line ${first + 1})`, lines, limit });
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return violations;
}

function* sourceFiles(root: string, folder: string): Generator<string> {
  for (const entry of readdirSync(join(root, folder), { withFileTypes: true })) {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory()) yield* sourceFiles(root, path);
    else if (/\.(ts|mts|cts|js|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) yield path;
  }
}

/** The key of a violation as {@link ALLOWANCES} lists it: the file, or `file#function`. */
const keyOf = (violation: SizeViolation): string =>
  violation.where === '(file)' ? violation.file : `${violation.file}#${violation.where.replace(/ \(line \d+\)$/, '')}`;

/**
 * Every size violation in the repository at `root`, how many files were read, and the entries of
 * `allowed` that excuse nothing (stale, to be removed).
 */
export function checkSizes(
  root: string,
  allowed: Readonly<Record<string, string>> = ALLOWANCES,
): { files: number; violations: SizeViolation[]; staleAllowances: string[] } {
  const files = PRODUCT_FOLDERS.flatMap((folder) => [...sourceFiles(root, folder)]);
  const found = files.flatMap((file) => {
    const source = readFileSync(join(root, file), 'utf8');
    return [...checkFileSize(file, source), ...(file.startsWith('shared/') ? checkFunctionSizes(file, source) : [])];
  });
  const excused = (v: SizeViolation): boolean => Object.hasOwn(allowed, keyOf(v));
  const used = new Set(found.filter(excused).map(keyOf));
  return {
    files: files.length,
    violations: found.filter((v) => !excused(v)),
    staleAllowances: Object.keys(allowed).filter((key) => !used.has(key)),
  };
}
