import type { LinkError } from './link-error.ts'

/** Finishes one send: with no argument it succeeded. */
export type SendDone = (error?: LinkError) => void

interface Waiter {
  readonly start: () => void
  readonly reject: (error: LinkError) => void
}

interface Pending {
  readonly resolve: () => void
  readonly reject: (error: LinkError) => void
}

/**
 * The unfinished sends of one connection: QoS 1 publishes awaiting their PUBACK ("in flight", at
 * most `limit` of them) and QoS 0 publishes awaiting the socket write.
 *
 * Contract:
 * - A QoS 1 send beyond the limit waits, in call order, for a slot; it is started when an earlier
 *   one is acknowledged or fails. This is our flow control (MQTT 5 §4.9 "Receive Maximum" is the
 *   broker's version; mosquitto's default is 20 in flight per client).
 * - `failAll(error)` settles every unfinished and waiting send with `error` at once, and every
 *   later send is refused with it: a connection is never reused after it ends.
 * - A `done` that arrives after `failAll` (mqtt.js flushes its callbacks late) is ignored.
 */
export class PendingSends {
  readonly #limit: number
  readonly #acks = new Set<Pending>()
  readonly #writes = new Set<Pending>()
  readonly #waiting: Waiter[] = []
  readonly #idle: (() => void)[] = []
  #failure: LinkError | undefined

  constructor(limit: number) {
    this.#limit = limit
  }

  /** QoS 1 publishes sent and not yet acknowledged. */
  get inFlight(): number {
    return this.#acks.size
  }

  /** Runs `send` once a slot is free; settles when `send` reports done. `send` must not throw. */
  acked(send: (done: SendDone) => void): Promise<void> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure)
    return new Promise<void>((resolve, reject) => {
      const start = (): void => {
        const pending: Pending = { resolve, reject }
        this.#acks.add(pending)
        send(error => this.#finishAck(pending, error))
      }
      if (this.#acks.size < this.#limit && this.#waiting.length === 0) start()
      else this.#waiting.push({ start, reject })
    })
  }

  /** Runs `send` at once (no slot needed); settles when `send` reports done. */
  written(send: (done: SendDone) => void): Promise<void> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure)
    return new Promise<void>((resolve, reject) => {
      const pending: Pending = { resolve, reject }
      this.#writes.add(pending)
      send(error => {
        if (this.#writes.delete(pending)) settle(pending, error)
      })
    })
  }

  /** Resolves once nothing is in flight or waiting (at once if that is so now, or after failAll). */
  whenIdle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve()
    return new Promise<void>(resolve => this.#idle.push(resolve))
  }

  failAll(error: LinkError): void {
    this.#failure ??= error
    const pending = [...this.#acks, ...this.#writes, ...this.#waiting]
    this.#acks.clear()
    this.#writes.clear()
    this.#waiting.length = 0
    for (const each of pending) each.reject(error)
    this.#notifyIdle()
  }

  #finishAck(pending: Pending, error: LinkError | undefined): void {
    if (!this.#acks.delete(pending)) return
    settle(pending, error)
    this.#waiting.shift()?.start()
    this.#notifyIdle()
  }

  #isIdle(): boolean {
    return this.#acks.size === 0 && this.#waiting.length === 0
  }

  #notifyIdle(): void {
    if (!this.#isIdle()) return
    for (const resolve of this.#idle.splice(0)) resolve()
  }
}

function settle(pending: Pending, error: LinkError | undefined): void {
  if (error === undefined) pending.resolve()
  else pending.reject(error)
}
