/**
 * Compression of stored settlement payloads: raw deflate with a preset dictionary built from the
 * worked cases (dictionary.ts). A one-byte format tag leads every payload so the format can change
 * without breaking items already written.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { SETTLEMENT_DICTIONARY_V1 } from './dictionary.js';

const DICTIONARY_V1 = Buffer.from(SETTLEMENT_DICTIONARY_V1, 'utf8');
/** First byte of a payload: how it was compressed, so the format can change without breaking old items. */
const FORMAT_DEFLATE_DICT_V1 = 1;

/**
 * Compresses JSON text with raw deflate and the frozen settlement dictionary: a settlement with its
 * full trace shrinks from about 2 KB to about 200 bytes (brotli without a dictionary: about 850),
 * which keeps the settlement item within one write-unit kilobyte.
 */
export function compressJson(value: unknown): Uint8Array {
  const body = deflateRawSync(Buffer.from(JSON.stringify(value), 'utf8'), { level: 9, dictionary: DICTIONARY_V1 });
  return Buffer.concat([Buffer.of(FORMAT_DEFLATE_DICT_V1), body]);
}

/** Reverses `compressJson`. */
export function decompressJson<T>(bytes: Uint8Array): T {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer[0] !== FORMAT_DEFLATE_DICT_V1) throw new TypeError(`unknown payload format ${buffer[0]}`);
  return JSON.parse(inflateRawSync(buffer.subarray(1), { dictionary: DICTIONARY_V1 }).toString('utf8')) as T;
}
