/**
 * A FIFO mutual-exclusion lock for promise-returning work: one holder at a time, waiters served
 * in arrival order. Every bus implementation serialises its transactions through one (i2c-bus
 * itself leaks file descriptors on concurrent first access: shared/reference/dependencies.md §2).
 *
 * Not re-entrant: work that calls run() on the same lock again waits for itself forever. Multi-
 * transaction sequences take the lock once and use an unlocked view inside (I2cBus.exclusive()).
 */
export class AsyncLock {
  readonly #waiting: (() => void)[] = []
  #held = false

  /** Whether some work holds the lock now. */
  get held(): boolean {
    return this.#held
  }

  /** Runs `work` once the lock is free; the lock is released when it settles, either way. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#held) await new Promise<void>(resolve => this.#waiting.push(resolve))
    else this.#held = true
    try {
      return await work()
    } finally {
      const next = this.#waiting.shift()
      if (next !== undefined) next()
      else this.#held = false
    }
  }
}
