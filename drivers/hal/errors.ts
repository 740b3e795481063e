/**
 * What went wrong, in terms every caller can act on (after embedded-hal's ErrorKind):
 * - 'nack': the device did not acknowledge (absent, busy, or a byte it refused)
 * - 'timeout': the operation did not complete in time
 * - 'busy': the resource is held by someone else (e.g. a GPIO line exported by another process)
 * - 'bus': the bus or line failed (arbitration lost, adapter error, cable pulled)
 * - 'closed': the handle was closed
 * - 'not-supported': the platform or adapter cannot do this (e.g. no GPIO sysfs)
 * - 'other': none of the above; the cause says what
 */
export type HalErrorKind = 'nack' | 'timeout' | 'busy' | 'bus' | 'closed' | 'not-supported' | 'other'

export class HalError extends Error {
  override readonly name = 'HalError'
  readonly kind: HalErrorKind

  constructor(kind: HalErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.kind = kind
  }
}
