/** What went wrong, in terms every caller can act on (after embedded-hal's ErrorKind). */
export type HalErrorKind = 'nack' | 'timeout' | 'busy' | 'bus' | 'closed' | 'not-supported' | 'other'

export class HalError extends Error {
  override readonly name = 'HalError'
  readonly kind: HalErrorKind

  constructor(kind: HalErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.kind = kind
  }
}
