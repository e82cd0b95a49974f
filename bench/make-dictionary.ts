/**
 * One-off generator of the settlement compression dictionary (`shared/pipeline/dictionary.ts`).
 * The dictionary is frozen once generated: stored payloads name the dictionary version they were
 * compressed with, so regenerating means adding a new version, never changing an old one.
 *
 * Usage: node dist/bench/make-dictionary.js test/cases > shared/pipeline/dictionary.ts
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { builtInPolicyBook, parseClaim, settle, settlementToJson, yearToDateToJson } from '../shared/index.js';

const folder = process.argv[2] ?? 'test/cases';
const book = builtInPolicyBook();
const samples: string[] = [];
for (const file of readdirSync(folder).filter((f) => f.endsWith('.json')).sort()) {
  const claim = parseClaim((JSON.parse(readFileSync(join(folder, file), 'utf8')) as { claim: unknown }).claim);
  const settlement = settle(claim, book);
  samples.push(JSON.stringify({ settlement: settlementToJson(settlement), before: yearToDateToJson(claim.yearToDate), settledAt: '2026-01-01T00:00:00.000Z' }));
}
// deflate looks back at most 32 KiB: keep the dictionary within it, most typical samples last.
let dictionary = '';
for (const sample of samples) {
  if (Buffer.byteLength(sample + dictionary) > 32_000) continue;
  dictionary = sample + dictionary;
}
process.stdout.write(`/**
 * Preset dictionary (version 1) for deflate-compressing stored settlements: typical settlement JSON,
 * so a payload only stores what differs from it. Frozen: generated once by bench/make-dictionary.ts.
 */
export const SETTLEMENT_DICTIONARY_V1 = ${JSON.stringify(dictionary)};
`);
