/**
 * How often each process re-reads the tenant table to see what other
 * instances changed (lib/protocol/published-state.ts): the longest a change
 * committed on one instance stays unseen by another.
 */
export const POLL_MS = 1000;
