/** Pure pipeline logic (keys, item shapes and sizes, registry rules, masking): no AWS SDK here. */
export * from './keys.js';
export * from './item-size.js';
export * from './mask.js';
export * from './records.js';
export * from './registry.js';
export * from './cost.js';
