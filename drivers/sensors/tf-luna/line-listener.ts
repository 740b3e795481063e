import type { Clock } from '../../hal/clock.ts'
import type { SerialLine } from '../../hal/serial.ts'
import { TfLunaFrameParser } from './frame-parser.ts'
import { TfLunaReplyParser } from './reply-parser.ts'

/** The reason a wait is cut short because something arrived. */
const NEWS = Symbol('news')

/**
 * What the driver hears on the line, kept as the newest good frame, the parser's counts, the
 * command reply being waited for and the last line error; plus a wait that ends early when any
 * of them arrives. Nothing is allocated per frame: the newest frame is held in number fields.
 */
export class TfLunaLineListener {
  readonly #line: SerialLine
  readonly #clock: Clock
  readonly #frames = new TfLunaFrameParser((distanceCm, signalStrength, temperatureRaw) => {
    this.distanceCm = distanceCm
    this.signalStrength = signalStrength
    this.temperatureRaw = temperatureRaw
    this.frameAtMs = this.#chunkAtMs
    this.#wake?.()
  })
  #replies: TfLunaReplyParser | undefined
  #unsubscribe: (() => void)[] = []
  #chunkAtMs = 0
  #wake: (() => void) | undefined
  /** The newest good frame's fields, and when its chunk arrived (clock ms). */
  distanceCm = 0
  signalStrength = 0
  temperatureRaw = 0
  frameAtMs = Number.NEGATIVE_INFINITY
  /** The last error the line reported, until the driver clears it. */
  lineError: Error | undefined

  constructor(line: SerialLine, clock: Clock) {
    this.#line = line
    this.#clock = clock
  }

  get framesParsed(): number {
    return this.#frames.framesParsed
  }

  get checksumFailures(): number {
    return this.#frames.checksumFailures
  }

  /** Subscribes to the line (once). */
  listen(): void {
    if (this.#unsubscribe.length > 0) return
    this.#unsubscribe = [
      this.#line.onData((chunk, atMs) => {
        this.#chunkAtMs = atMs
        this.#frames.push(chunk)
        this.#replies?.push(chunk)
      }),
      this.#line.onError(error => {
        this.lineError = error
        this.#wake?.()
      }),
    ]
  }

  stop(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe()
    this.#unsubscribe = []
    this.#replies = undefined
  }

  /** Hands replies to `onReply` (its payload is valid during the call only) until called with undefined. */
  expectReplies(onReply: ((id: number, payload: Uint8Array) => void) | undefined): void {
    this.#replies = onReply === undefined ? undefined : new TfLunaReplyParser((id, payload) => {
      onReply(id, payload)
      this.#wake?.()
    })
  }

  /** Waits `ms` on the clock, or less if a frame, a reply or a line error arrives; rejects with `signal`'s reason. */
  waitForNews(ms: number, signal?: AbortSignal): Promise<void> {
    const stop = new AbortController()
    const onAbort = (): void => stop.abort(signal?.reason)
    signal?.addEventListener('abort', onAbort, { once: true })
    this.#wake = () => stop.abort(NEWS)
    return this.#clock
      .sleep(ms, stop.signal)
      .catch((reason: unknown) => {
        if (reason !== NEWS) throw reason
      })
      .finally(() => {
        this.#wake = undefined
        signal?.removeEventListener('abort', onAbort)
      })
  }
}
