/**
 * The pure core of the product: money, the claim contract, the policies and the settlement engine.
 * Nothing here knows of AWS, files or clocks.
 */
export * from './money/money.js';
export * from './money/errors.js';
export * from './contract/claim.js';
export * from './contract/errors.js';
export * from './policy/schema.js';
export * from './policy/book.js';
export * from './policy/errors.js';
export * from './engine/settlement.js';
export * from './engine/settle.js';
export * from './engine/errors.js';
export * from './engine/ledger.js';
