import type { Clock } from '../hal/clock.ts'
import { HalError } from '../hal/errors.ts'
import { Listeners } from '../hal/listeners.ts'
import type { SerialLine } from '../hal/serial.ts'

/** One end of a simulated serial cable, with controls for tests. */
export interface SimSerialEnd extends SerialLine {
  /** Pulls the cable: both ends' onError listeners get HalError kind 'bus'; writes reject until reconnect(). */
  disconnect(): void
  reconnect(): void
}

/**
 * Two SerialLines joined back to back (after Aedes' duplexPair): bytes written to one arrive at
 * the other's listeners, asynchronously (a microtask later, never inside write()), stamped with
 * the clock. A simulated TF-Luna or GPS is a script writing frames to the far end.
 */
export function createSimSerialPair(clock: Clock, names: readonly [string, string] = ['sim:a', 'sim:b']): [SimSerialEnd, SimSerialEnd] {
  const cable = { connected: true }
  const a = new SimSerialLine(names[0], clock, cable)
  const b = new SimSerialLine(names[1], clock, cable)
  a.peer = b
  b.peer = a
  return [a, b]
}

class SimSerialLine implements SimSerialEnd {
  readonly path: string
  peer: SimSerialLine | undefined
  readonly #clock: Clock
  readonly #cable: { connected: boolean }
  readonly #dataListeners = new Listeners<[chunk: Uint8Array, atMs: number]>()
  readonly #errorListeners = new Listeners<[error: Error]>()
  #closed = false

  constructor(path: string, clock: Clock, cable: { connected: boolean }) {
    this.path = path
    this.#clock = clock
    this.#cable = cable
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.#closed) throw new HalError('closed', `${this.path} is closed`)
    if (!this.#cable.connected) throw new HalError('bus', `${this.path}: line disconnected`)
    const copy = Uint8Array.from(bytes)
    const peer = this.peer
    queueMicrotask(() => peer?.deliver(copy))
  }

  onData(listener: (chunk: Uint8Array, atMs: number) => void): () => void {
    return this.#dataListeners.add(listener)
  }

  onError(listener: (error: Error) => void): () => void {
    return this.#errorListeners.add(listener)
  }

  async close(): Promise<void> {
    this.#closed = true
    this.#dataListeners.clear()
    this.#errorListeners.clear()
  }

  disconnect(): void {
    if (!this.#cable.connected) return
    this.#cable.connected = false
    for (const end of [this, this.peer]) end?.fail(new HalError('bus', `${end.path}: line disconnected`))
  }

  reconnect(): void {
    this.#cable.connected = true
  }

  deliver(chunk: Uint8Array): void {
    if (this.#closed || !this.#cable.connected) return
    this.#dataListeners.emit(chunk, this.#clock.now())
  }

  fail(error: Error): void {
    if (this.#closed) return
    this.#errorListeners.emit(error)
  }
}
