/**
 * The words a task table uses for scheduling. The scheduler (runtime/scheduler/types.ts) takes
 * its types from here, so the file format and the runtime cannot drift apart.
 */
export const POLICIES = ['fifo', 'rr', 'priority', 'edf'] as const
export const MISS_POLICIES = ['continue', 'skip-next', 'abort', 'safe-state'] as const
