/**
 * The words a task table uses for scheduling. The scheduler (runtime/scheduler/types.ts) takes
 * its types from here, so the file format and the runtime cannot drift apart.
 */
export const POLICIES = ['fifo', 'rr', 'priority', 'edf'] as const
export const MISS_POLICIES = ['continue', 'skip-next', 'abort', 'safe-state'] as const

/** Alarm severities, IEC 60601-1-8's vocabulary (high: immediate response; medium: prompt; low: awareness). */
export const ALARM_SEVERITIES = ['high', 'medium', 'low'] as const

/** Why a value cannot be used ("cannot trust the value", never "value in alarm"). */
export const TECHNICAL_KINDS = ['fault', 'stale', 'no-data'] as const

/** Alarm states in the ISA-18.2 sense (docs/alarms.md). */
export const ALARM_STATES = ['normal', 'active-unacknowledged', 'active-acknowledged', 'returned-unacknowledged', 'latched', 'shelved'] as const
