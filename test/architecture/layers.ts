/**
 * The layering rule of the product, as code: the pure core under `shared/` imports no Node I/O module,
 * no AWS library, and nothing from the outer layers (functions/, infra/, cli/, local/, bench/, test/).
 * Imports are read with the TypeScript compiler's own pre-processor, so static imports, re-exports,
 * `import type` and dynamic `import()` are all seen.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import ts from 'typescript';

/** Node modules that do I/O (files, compression, network, processes, the machine): never in the core. */
export const NODE_IO_MODULES: ReadonlySet<string> = new Set([
  'fs',
  'fs/promises',
  'zlib',
  'net',
  'http',
  'https',
  'http2',
  'child_process',
  'dgram',
  'dns',
  'dns/promises',
  'tls',
  'worker_threads',
  'cluster',
  'readline',
  'os',
  'process',
]);

/** Package prefixes of the AWS libraries (SDK, CDK, Lambda tooling): the adapters' business, not the core's. */
export const AWS_PACKAGES: readonly string[] = ['@aws-sdk/', '@smithy/', 'aws-cdk-lib', 'constructs', '@aws-lambda-powertools/', '@middy/'];

/** The repository folders the core must not reach into. */
export const OUTER_LAYERS: readonly string[] = ['functions', 'infra', 'cli', 'local', 'bench', 'test'];

/** One import that breaks the rule. */
export interface LayerViolation {
  /** The importing file, relative to the repository root with `/` separators. */
  readonly file: string;
  /** The import specifier as written. */
  readonly specifier: string;
  readonly reason: string;
}

/** Why `specifier`, imported by the core file `file` (repository-relative), breaks the rule; undefined when it does not. */
export function whyForbidden(file: string, specifier: string): string | undefined {
  if (specifier.startsWith('.')) {
    const target = normalize(join(dirname(file), specifier)).split(sep).join('/');
    const top = target.split('/')[0] ?? '';
    if (OUTER_LAYERS.includes(top)) return `reaches into ${top}/, an outer layer`;
    if (!target.startsWith('shared/')) return `reaches outside shared/ (${target})`;
    return undefined;
  }
  const bare = specifier.startsWith('node:') ? specifier.slice('node:'.length) : specifier;
  if (NODE_IO_MODULES.has(bare)) return `imports the Node I/O module ${bare}`;
  const aws = AWS_PACKAGES.find((prefix) => specifier === prefix.replace(/\/$/, '') || specifier.startsWith(prefix));
  if (aws !== undefined) return `imports the AWS library ${specifier}`;
  return undefined;
}

/** The violations in one core file's source text; `file` is its repository-relative path. */
export function checkSource(file: string, source: string): LayerViolation[] {
  const { importedFiles } = ts.preProcessFile(source, true, true);
  return importedFiles.flatMap(({ fileName }) => {
    const reason = whyForbidden(file, fileName);
    return reason === undefined ? [] : [{ file, specifier: fileName, reason }];
  });
}

function* sourceFiles(root: string, folder: string): Generator<string> {
  for (const entry of readdirSync(join(root, folder), { withFileTypes: true })) {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory()) yield* sourceFiles(root, path);
    else if (/\.(ts|mts|cts|js|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) yield path;
  }
}

/** Every violation under `shared/` of the repository at `root`, and how many files were read. */
export function checkCore(root: string): { files: number; violations: LayerViolation[] } {
  const files = [...sourceFiles(root, 'shared')];
  const violations = files.flatMap((file) => checkSource(file, readFileSync(join(root, file), 'utf8')));
  return { files: files.length, violations };
}

