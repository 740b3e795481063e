import type { Clock } from './clock.ts'

interface Timer {
  readonly atMs: number
  readonly sequence: number
  readonly fire: () => void
}

/**
 * A clock that moves only when told to. Tests and the simulated board use it so that every
 * scheduler, alarm and driver behaviour is deterministic and instant.
 */
export class VirtualClock implements Clock {
  #nowMs: number
  #sequence = 0
  /** Sorted by (atMs, sequence): timers due at the same instant fire in the order they were set. */
  readonly #timers: Timer[] = []

  constructor(startMs = 0) {
    this.#nowMs = startMs
  }

  now(): number {
    return this.#nowMs
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason as unknown)
        return
      }
      const onAbort = (): void => {
        this.#remove(timer)
        reject(signal?.reason as unknown)
      }
      const timer: Timer = {
        atMs: this.#nowMs + Math.max(0, ms),
        sequence: this.#sequence++,
        fire: () => {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        },
      }
      this.#insert(timer)
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }

  /** How many sleeps are waiting. */
  get pendingTimers(): number {
    return this.#timers.length
  }

  /**
   * Moves time forward by `ms`. Timers fire in time order, and the promise chains they start run
   * to completion before the next one fires, so `await clock.advance(1000)` behaves like one
   * second passing. Timers that those chains set inside the window fire too.
   */
  async advance(ms: number): Promise<void> {
    if (!(ms >= 0)) throw new RangeError(`advance(ms): ms must be >= 0, got ${ms}`)
    await this.advanceTo(this.#nowMs + ms)
  }

  /** Moves time forward to `targetMs` (see advance). */
  async advanceTo(targetMs: number): Promise<void> {
    if (targetMs < this.#nowMs) throw new RangeError(`advanceTo(${targetMs}) is before now (${this.#nowMs})`)
    await settle()
    for (let next = this.#timers[0]; next !== undefined && next.atMs <= targetMs; next = this.#timers[0]) {
      this.#timers.shift()
      this.#nowMs = next.atMs
      next.fire()
      await settle()
    }
    this.#nowMs = targetMs
    await settle()
  }

  /** Lets promise chains run without moving time. */
  async settle(): Promise<void> {
    await settle()
  }

  #insert(timer: Timer): void {
    let index = this.#timers.length
    while (index > 0 && this.#timers[index - 1]!.atMs > timer.atMs) index--
    this.#timers.splice(index, 0, timer)
  }

  #remove(timer: Timer): void {
    const index = this.#timers.indexOf(timer)
    if (index >= 0) this.#timers.splice(index, 1)
  }
}

/**
 * Lets every queued promise callback run. setImmediate fires after the microtask queue drains;
 * a few rounds cover chains that hop through several awaits and resolved promises.
 */
async function settle(): Promise<void> {
  for (let round = 0; round < 4; round++) await new Promise<void>(resolve => setImmediate(resolve))
}
