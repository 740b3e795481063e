/** Whoever must hear that a pending sleep's signal was aborted. */
export interface SleepCanceller {
  cancel(sleep: PendingSleep): void
}

/**
 * One call to PreciseClock.sleep(). It is its own abort listener (an EventListener object with
 * handleEvent), so a sleep with a signal costs no extra closure.
 */
export class PendingSleep {
  readonly atMs: number
  readonly #resolve: () => void
  readonly #reject: (reason: unknown) => void
  readonly #signal: AbortSignal | undefined
  readonly #canceller: SleepCanceller

  constructor(
    atMs: number,
    resolve: () => void,
    reject: (reason: unknown) => void,
    signal: AbortSignal | undefined,
    canceller: SleepCanceller,
  ) {
    this.atMs = atMs
    this.#resolve = resolve
    this.#reject = reject
    this.#signal = signal
    this.#canceller = canceller
    signal?.addEventListener('abort', this, { once: true })
  }

  /** Called by the signal on abort. */
  handleEvent(): void {
    this.#canceller.cancel(this)
  }

  get abortReason(): unknown {
    return this.#signal?.reason as unknown
  }

  resolve(): void {
    this.#signal?.removeEventListener('abort', this)
    this.#resolve()
  }

  reject(reason: unknown): void {
    this.#signal?.removeEventListener('abort', this)
    this.#reject(reason)
  }
}
