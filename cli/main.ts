#!/usr/bin/env node
/**
 * The entry point of `claims`. It checks the Node version before anything else is loaded: the rest of
 * the command line imports what only Node 24 has, and an older node would fail at link time with a
 * multi-line SyntaxError instead of saying what to do. So this module imports nothing statically and
 * uses nothing newer than what Node 14 understands.
 */
const REQUIRED_MAJOR = 24;
const major = Number(process.versions.node.split('.')[0]);

if (major < REQUIRED_MAJOR) {
  process.stderr.write(`claims: needs Node ${REQUIRED_MAJOR} (this is v${process.versions.node}): run it as npx claims\n`);
  process.exitCode = 1;
} else {
  // V8 keeps the compiled code of the command and its dependencies (zod above all) in a cache on disk,
  // so a HIS script calling `claims settle` once per claim does not compile them again each time. It is
  // switched on before the rest is imported, so the cache covers all of it.
  (await import('node:module')).enableCompileCache();
  await import('./run.js');
}

export {};
