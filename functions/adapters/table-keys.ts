/** Moved to dynamodb/keys.ts; kept for importers outside this change (local/). Delete once nothing imports it. */
export { addressHash, keys, TABLE_SCHEMA } from './dynamodb/keys.js';
