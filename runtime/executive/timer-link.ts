import { FIRED, REQUEST, STOP, type TimerCells } from './timer-protocol.ts'

type WaitAsync = (
  typedArray: Int32Array,
  index: number,
  value: number,
) => { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> }
/** ES2024 Atomics.waitAsync (V8 >= 8.7, so every Node >= 16); tsconfig's lib stops at ES2023. */
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync

/**
 * The owner's side of the timer-thread protocol (timer-protocol.ts): points the thread at one
 * target time and calls `onFired` on this thread's event loop when the thread has fired.
 *
 * A fire only says "the thread saw its clock reach the target"; the caller checks its own clock
 * (time-origin.ts: the conversion may be a hair off) and asks again if it is early.
 */
export class TimerLink {
  readonly #int32: Int32Array
  readonly #target: Float64Array
  /** REQUEST as this side last wrote it. */
  #request = 0
  /** The target the thread is working towards; +Infinity when it has nothing to do. */
  #requestedMs = Number.POSITIVE_INFINITY
  /** FIRED as this side last read it. */
  #served = 0
  /** A waitAsync on FIRED (or a queued call) is outstanding. */
  #watching = false
  readonly #onFired: () => void
  readonly #settled = (): void => {
    this.#watching = false
    this.#served = Atomics.load(this.#int32, FIRED)
    // Having served our latest request, the thread waits for the next one.
    if (this.#served === this.#request) this.#requestedMs = Number.POSITIVE_INFINITY
    this.#onFired()
  }

  constructor(cells: TimerCells, onFired: () => void) {
    this.#int32 = cells.int32
    this.#target = cells.target
    this.#onFired = onFired
  }

  /** Points the thread at `targetMs` (owner time; +Infinity: nothing), unless it already is. */
  aim(targetMs: number): void {
    if (targetMs !== this.#requestedMs) this.#send(targetMs)
  }

  #send(targetMs: number): void {
    this.#requestedMs = targetMs
    this.#target[0] = targetMs
    this.#request = (Atomics.add(this.#int32, REQUEST, 1) + 1) | 0
    Atomics.notify(this.#int32, REQUEST)
  }

  /** Keeps one wait on FIRED outstanding, so the next fire calls onFired (once). */
  watch(): void {
    if (this.#watching) return
    this.#watching = true
    const result = waitAsync(this.#int32, FIRED, this.#served)
    if (result.async) void result.value.then(this.#settled)
    else void Promise.resolve().then(this.#settled) // FIRED moved already (rare): settle in a microtask as well
  }

  /** Tells the thread to leave its loop; settles our own outstanding wait. */
  stop(): void {
    Atomics.store(this.#int32, STOP, 1)
    this.#send(Number.POSITIVE_INFINITY) // bumps REQUEST: the thread wakes and sees STOP
    this.release()
  }

  /** Settles an outstanding waitAsync (its onFired then finds nothing due), e.g. when the thread died. */
  release(): void {
    Atomics.notify(this.#int32, FIRED)
  }
}
