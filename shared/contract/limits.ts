/**
 * Limits of the claim contract that code outside the schema needs too (the API checks path ids
 * against them before any store call), kept free of zod so small bundles can import them.
 */

/** The most characters an identifier (claim, member, hospital id) may have. */
export const MAX_ID_LENGTH = 64;
