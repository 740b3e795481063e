/** Why the scheduler cut a job short. Decisions are keyed on `kind`, never on message text. */
export type SchedulerErrorKind = 'deadline' | 'overrun' | 'stopped'

/** The AbortSignal reason a job sees when the scheduler aborts it. */
export class SchedulerError extends Error {
  override readonly name = 'SchedulerError'
  readonly kind: SchedulerErrorKind

  constructor(kind: SchedulerErrorKind, message: string) {
    super(message)
    this.kind = kind
  }
}

/** The vocabulary word for an error a job threw: its `kind` (HalError, DriverError…), else its name. */
export function errorKind(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const kind = (error as { kind?: unknown }).kind
    if (typeof kind === 'string' && kind.length > 0) return kind
    const name = (error as { name?: unknown }).name
    if (typeof name === 'string' && name.length > 0) return name
  }
  return 'other'
}
