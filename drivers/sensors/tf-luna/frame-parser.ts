import { DATA_FRAME } from './protocol.ts'

/** Called once per good frame with its raw fields: Dist (cm), Amp, Temp (raw, see TEMPERATURE). */
export type TfLunaFrameListener = (distanceCm: number, signalStrength: number, temperatureRaw: number) => void

const { HEADER, BYTES, CHECKSUM } = DATA_FRAME

/**
 * Finds TF-Luna 9-byte/cm data frames (protocol.ts, DATA_FRAME) in a byte stream cut into chunks
 * anywhere. Pure and bounded: it holds at most one frame's worth of bytes (9), and a good frame
 * costs no allocation (the listener gets numbers, not an object).
 *
 * Resynchronisation: a byte that cannot start a frame (not 0x59 0x59) is dropped and counted in
 * `bytesDiscarded`. When nine bytes that start 0x59 0x59 fail the checksum, `checksumFailures`
 * counts one and only their first byte is dropped: the real frame may begin inside them. Garbage
 * that happens to hold 0x59 0x59 can therefore count as a failed frame too.
 *
 * Other traffic on the same line (command replies, 0x5A …) is garbage to this parser.
 */
export class TfLunaFrameParser {
  readonly #onFrame: TfLunaFrameListener
  readonly #bytes = new Uint8Array(BYTES)
  #length = 0
  #framesParsed = 0
  #checksumFailures = 0
  #bytesDiscarded = 0

  constructor(onFrame: TfLunaFrameListener) {
    this.#onFrame = onFrame
  }

  /** Good frames found so far. */
  get framesParsed(): number {
    return this.#framesParsed
  }

  /** Candidate frames (0x59 0x59 + 7 bytes) whose checksum did not match. */
  get checksumFailures(): number {
    return this.#checksumFailures
  }

  /** Bytes dropped because no frame could start with them. */
  get bytesDiscarded(): number {
    return this.#bytesDiscarded
  }

  /** Bytes held for a frame not yet complete: 0..8. */
  get bufferedBytes(): number {
    return this.#length
  }

  push(chunk: Uint8Array): void {
    for (let i = 0; i < chunk.length; i++) {
      this.#bytes[this.#length++] = chunk[i]!
      this.#scan()
    }
  }

  /** Forgets a partial frame (e.g. after the line was reopened); the counters stay. */
  reset(): void {
    this.#length = 0
  }

  /** Consumes whatever the held bytes allow: frames, or bytes that cannot start one. */
  #scan(): void {
    const bytes = this.#bytes
    while (this.#length > 0) {
      if (bytes[0] !== HEADER || (this.#length >= 2 && bytes[1] !== HEADER)) {
        this.#bytesDiscarded++
        this.#drop(1)
      } else if (this.#length < BYTES) {
        return
      } else if (checksumOf(bytes) === bytes[CHECKSUM]) {
        this.#framesParsed++
        this.#length = 0
        this.#onFrame(
          bytes[DATA_FRAME.DIST_L]! | (bytes[DATA_FRAME.DIST_H]! << 8),
          bytes[DATA_FRAME.AMP_L]! | (bytes[DATA_FRAME.AMP_H]! << 8),
          bytes[DATA_FRAME.TEMP_L]! | (bytes[DATA_FRAME.TEMP_H]! << 8),
        )
      } else {
        this.#checksumFailures++
        this.#drop(1)
      }
    }
  }

  #drop(count: number): void {
    this.#bytes.copyWithin(0, count, this.#length)
    this.#length -= count
  }
}

/** Low byte of the sum of bytes 0..7. */
function checksumOf(bytes: Uint8Array): number {
  let sum = 0
  for (let i = 0; i < CHECKSUM; i++) sum += bytes[i]!
  return sum & 0xff
}
