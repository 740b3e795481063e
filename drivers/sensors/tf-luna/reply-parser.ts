import { COMMAND } from './protocol.ts'

/**
 * Longest reply the driver waits for: GET_VERSION's 7 bytes, SAMPLE_FREQ's 6 (A05 Appendix II.1,
 * II.3). Longer Len values (bar code, full version) are treated as noise, which keeps the parser
 * bounded by this many bytes.
 */
export const MAX_REPLY_BYTES = 8

/** Called with a reply's ID and payload; `payload` is only valid during the call. */
export type TfLunaReplyListener = (id: number, payload: Uint8Array) => void

/**
 * Finds command replies (0x5A, Len, ID, payload, checksum: A05 §6.2) in a byte stream that also
 * carries 100 data frames a second. A data frame can hold 0x5A (90 cm is 0x5A), so a candidate
 * counts only with a plausible Len and a matching checksum; otherwise its first byte is dropped
 * and the search goes on from the next. Pure; holds at most MAX_REPLY_BYTES.
 */
export class TfLunaReplyParser {
  readonly #onReply: TfLunaReplyListener
  readonly #bytes = new Uint8Array(MAX_REPLY_BYTES)
  #length = 0

  constructor(onReply: TfLunaReplyListener) {
    this.#onReply = onReply
  }

  push(chunk: Uint8Array): void {
    for (let i = 0; i < chunk.length; i++) {
      this.#bytes[this.#length++] = chunk[i]!
      this.#scan()
    }
  }

  #scan(): void {
    const bytes = this.#bytes
    while (this.#length > 0) {
      const frameBytes = bytes[1]!
      if (bytes[0] !== COMMAND.HEAD || (this.#length >= 2 && (frameBytes < COMMAND.MIN_BYTES || frameBytes > MAX_REPLY_BYTES))) {
        this.#drop(1)
      } else if (this.#length < 2 || this.#length < frameBytes) {
        return
      } else if (sumLowByte(bytes, frameBytes - 1) === bytes[frameBytes - 1]) {
        this.#length = 0
        this.#onReply(bytes[2]!, bytes.subarray(3, frameBytes - 1))
      } else {
        this.#drop(1)
      }
    }
  }

  #drop(count: number): void {
    this.#bytes.copyWithin(0, count, this.#length)
    this.#length -= count
  }
}

function sumLowByte(bytes: Uint8Array, count: number): number {
  let sum = 0
  for (let i = 0; i < count; i++) sum += bytes[i]!
  return sum & 0xff
}
