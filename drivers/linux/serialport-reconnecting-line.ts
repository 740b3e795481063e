import type { Clock } from '../hal/clock.ts'
import { HalError } from '../hal/errors.ts'
import type { SerialLine } from '../hal/serial.ts'
import { Listeners } from '../hal/listeners.ts'
import { openPort, type PortFactory, type PortOptions, type PortStream } from './serialport-port.ts'

/** Back-off between reopen attempts after the port closed under us, ms: doubles from initialMs up to maxMs. */
export interface ReconnectBackoff {
  readonly initialMs: number
  readonly maxMs: number
}

/**
 * The SerialLine over serialport that openSerialportLine() returns (its doc comment states the
 * contract). One port object at a time is current; a port that failed is dropped, its late
 * events ignored, and a fresh one is built and opened after the back-off.
 */
export class SerialportLine implements SerialLine {
  readonly path: string
  readonly #options: PortOptions
  readonly #clock: Clock
  readonly #backoff: ReconnectBackoff
  readonly #createPort: PortFactory
  readonly #data = new Listeners<[chunk: Uint8Array, atMs: number]>()
  readonly #errors = new Listeners<[error: Error]>()
  /** Writes waiting on the port; failed at once when the port goes away or the line closes. */
  readonly #pending = new Set<(error: HalError) => void>()
  readonly #stop = new AbortController()
  /** The open port; undefined while reconnecting and after close(). */
  #port: PortStream | undefined
  #reconnecting: Promise<void> = Promise.resolve()
  #closing: Promise<void> | undefined

  constructor(options: PortOptions, clock: Clock, backoff: ReconnectBackoff, createPort: PortFactory) {
    this.path = options.path
    this.#options = options
    this.#clock = clock
    this.#backoff = backoff
    this.#createPort = createPort
  }

  async start(): Promise<void> {
    this.#adopt(await openPort(this.#createPort, this.#options))
  }

  async write(bytes: Uint8Array): Promise<void> {
    const port = this.#writablePort()
    if (bytes.length === 0) return
    // The callback fires once the binding has the bytes; drain() (tcdrain) then waits until the OS
    // has sent them. drain() alone could resolve before our chunk even reached the binding, when
    // an earlier write is still queued in the stream (SerialPortStream.drain waits on the binding only).
    const copy = Buffer.from(bytes)
    await this.#whilePortLives(done => port.write(copy, done))
    await this.#whilePortLives(done => port.drain(done))
  }

  onData(listener: (chunk: Uint8Array, atMs: number) => void): () => void {
    return this.#closing === undefined ? this.#data.add(listener) : () => undefined
  }

  onError(listener: (error: Error) => void): () => void {
    return this.#closing === undefined ? this.#errors.add(listener) : () => undefined
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutDown()
    return this.#closing
  }

  async #shutDown(): Promise<void> {
    this.#data.clear()
    this.#errors.clear()
    this.#stop.abort()
    this.#failPending(new HalError('closed', `${this.path} is closed`))
    await this.#reconnecting
    const port = this.#port
    this.#port = undefined
    if (port !== undefined) await closePort(port)
  }

  #writablePort(): PortStream {
    if (this.#closing !== undefined) throw new HalError('closed', `${this.path} is closed`)
    if (this.#port === undefined) throw new HalError('bus', `${this.path}: line lost, reconnecting`)
    return this.#port
  }

  #whilePortLives(start: (done: (error?: Error | null) => void) => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#pending.add(reject)
      start(error => {
        this.#pending.delete(reject)
        if (error) reject(new HalError('bus', `${this.path}: write failed (${error.message})`, { cause: error }))
        else resolve()
      })
    })
  }

  #failPending(error: HalError): void {
    for (const reject of this.#pending) reject(error)
    this.#pending.clear()
  }

  /** Makes `port` the current one. Its events are ignored once it no longer is (after a loss or close). */
  #adopt(port: PortStream): void {
    this.#port = port
    port.on('data', (chunk: Buffer) => {
      if (port === this.#port) this.#data.emit(chunk, this.#clock.now())
    })
    // A write error emits 'error' and destroys the stream; a failed read closes it with a
    // DisconnectedError (@serialport/stream _disconnected). Both mean this port object is done.
    port.on('error', (error?: Error | null) => this.#lost(port, error))
    port.on('close', (error?: Error | null) => this.#lost(port, error))
  }

  #lost(port: PortStream, cause: Error | null | undefined): void {
    if (port !== this.#port || this.#closing !== undefined) return
    this.#port = undefined
    void closePort(port)
    const loss = new HalError('bus', `${this.path}: line lost (${cause?.message ?? 'port closed'}); reconnecting`, { cause })
    this.#failPending(loss)
    this.#errors.emit(loss)
    this.#reconnecting = this.#reconnect()
  }

  async #reconnect(): Promise<void> {
    const signal = this.#stop.signal
    for (let delayMs = this.#backoff.initialMs; ; delayMs = Math.min(this.#backoff.maxMs, delayMs * 2)) {
      try {
        await this.#clock.sleep(delayMs, signal)
      } catch {
        return
      }
      const port = await openPort(this.#createPort, this.#options).catch(() => undefined)
      if (port === undefined) continue
      if (signal.aborted) return await closePort(port)
      return this.#adopt(port)
    }
  }
}

/** Closes a port if it is still open; never rejects (the port is being dropped either way). */
function closePort(port: PortStream): Promise<void> {
  if (!port.isOpen) return Promise.resolve()
  return new Promise<void>(resolve => port.close(() => resolve()))
}
