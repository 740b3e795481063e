/** Message classes, in the order they are sent: alarms first, then state, then telemetry. */
export const OUTBOX_CLASSES = ['alarm', 'state', 'telemetry'] as const
export type OutboxClass = (typeof OUTBOX_CLASSES)[number]

/** One message waiting for its broker acknowledgement. Immutable; the outbox hands out the same object each time. */
export interface OutboxEntry {
  /** Outbox-wide sequence: strictly increasing, never reused, also across restarts. */
  readonly id: number
  readonly cls: OutboxClass
  readonly topic: string
  /** JSON text (not parsed or checked here; it is stored as UTF-8). */
  readonly payload: string
  readonly retain: boolean
  /** Wall-clock epoch ms when it was first appended (kept when a record is copied forward). */
  readonly appendedAtWallMs: number
}
