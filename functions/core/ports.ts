/**
 * Moved to ports/ (one port per capability). This re-export is kept only for importers outside this
 * change (local/, cli/); import from './ports/index.js' instead. Delete once nothing imports it.
 */
export type * from './ports/index.js';
