/** Plain-text layout for terminals, where CJK characters take two columns. */

import { displayWidth, padEndColumns, padStartColumns } from '../shared/province/slip/columns.js';

// The width rules live in the core, where the settlement slip lays out its text too.
export { displayWidth, padEndColumns, padStartColumns };

/**
 * Two-column rows, labels left-aligned and values right-aligned, each column as wide as its widest
 * cell, so that amounts line up under each other whatever script the labels are in.
 */
export function alignRows(rows: readonly (readonly [string, string])[], indent = '  '): string[] {
  const labelWidth = Math.max(0, ...rows.map(([label]) => displayWidth(label)));
  const valueWidth = Math.max(0, ...rows.map(([, value]) => displayWidth(value)));
  return rows.map(([label, value]) => `${indent}${padEndColumns(label, labelWidth)}  ${padStartColumns(value, valueWidth)}`);
}

/** Label/value rows with the labels padded to one width and the values left-aligned after them. */
export function labelRows(rows: readonly (readonly [string, string])[], indent = '  '): string[] {
  const labelWidth = Math.max(0, ...rows.map(([label]) => displayWidth(label)));
  return rows.map(([label, value]) => `${indent}${padEndColumns(label, labelWidth)}  ${value}`);
}
