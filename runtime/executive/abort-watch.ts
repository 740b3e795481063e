import { PendingSleep, type SleepCanceller } from './pending-sleep.ts'

/** A pending sleep that knows its signal; its abort listener is the clock's AbortWatch. */
export class WatchedSleep extends PendingSleep {
  readonly signal: AbortSignal

  constructor(atMs: number, resolve: () => void, reject: (reason: unknown) => void, signal: AbortSignal, canceller: SleepCanceller) {
    super(atMs, resolve, reject, undefined, canceller) // no listener of its own: the watch listens
    this.signal = signal
  }

  override get abortReason(): unknown {
    return this.signal.reason as unknown
  }
}

/** The pending sleeps that use one signal; the signal's one abort listener. */
class SignalSleeps {
  readonly sleeps: WatchedSleep[] = []
  readonly #canceller: SleepCanceller

  constructor(canceller: SleepCanceller) {
    this.#canceller = canceller
  }

  handleEvent(): void {
    for (let sleep = this.sleeps.pop(); sleep !== undefined; sleep = this.sleeps.pop()) this.#canceller.cancel(sleep)
  }
}

/**
 * The abort listeners of one clock's sleeps: ONE listener per AbortSignal, added the first time a
 * sleep uses the signal and left on it while the signal lives, instead of an addEventListener +
 * removeEventListener pair per sleep. The scheduler loop passes the same signal to every sleep
 * until it aborts it, and Node's EventTarget (lib/internal/event_target.js: a Listener object, a
 * bound handler, option parsing) cost ~1 % of a core at 1 kHz on the dev VM, with the removal on
 * the wake-up path (docs/timing.md).
 *
 * The signal → sleeps map is a WeakMap, so a signal the caller drops is collected with its
 * listener. Node keeps an AbortSignal.timeout() signal that has an abort listener alive until it
 * fires, so such a signal now lives until its timeout even when its sleep resolved first.
 */
export class AbortWatch {
  readonly #bySignal = new WeakMap<AbortSignal, SignalSleeps>()
  readonly #canceller: SleepCanceller

  constructor(canceller: SleepCanceller) {
    this.#canceller = canceller
  }

  add(sleep: WatchedSleep): void {
    let entry = this.#bySignal.get(sleep.signal)
    if (entry === undefined) {
      entry = new SignalSleeps(this.#canceller)
      this.#bySignal.set(sleep.signal, entry)
      sleep.signal.addEventListener('abort', entry, { once: true })
    }
    entry.sleeps.push(sleep)
  }

  /** Forgets a sleep that resolved or was cancelled (the listener stays for the next one). */
  delete(sleep: WatchedSleep): void {
    const sleeps = this.#bySignal.get(sleep.signal)?.sleeps
    if (sleeps === undefined) return
    const index = sleeps.lastIndexOf(sleep)
    if (index < 0) return
    for (let i = index; i < sleeps.length - 1; i++) sleeps[i] = sleeps[i + 1]!
    sleeps.pop()
  }
}
