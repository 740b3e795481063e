/**
 * Why a publish did not get its acknowledgement. Callers decide on `kind`, never on the message:
 * - `offline`: there was no connection, or it was lost before the PUBACK. The message may or may
 *   not have reached the broker; keep it and send it again after the next connect.
 * - `closed`: the link was closed (by `close()`) before the PUBACK. Same uncertainty as `offline`.
 * - `rejected`: the broker answered with an error reason code (MQTT 5 PUBACK ≥ 0x80, e.g. "Not
 *   authorized"); sending the same message again will get the same answer.
 */
export type LinkErrorKind = 'offline' | 'closed' | 'rejected'

export class LinkError extends Error {
  override readonly name = 'LinkError'
  readonly kind: LinkErrorKind

  constructor(kind: LinkErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.kind = kind
  }
}
