import { access } from 'node:fs/promises'
import type { Clock } from '../hal/clock.ts'
import { HalError, type HalErrorKind } from '../hal/errors.ts'
import type { I2cBus } from '../hal/i2c.ts'
import { AsyncLock } from '../hal/lock.ts'
import { i2cHalError } from './i2c-errno.ts'
import { I2cStats, type I2cAddressStats } from './i2c-stats.ts'
import { plainI2c, smbus, type I2cLibraryBus, type Transfers } from './i2c-transfers.ts'

export interface LinuxI2cBusOptions {
  /** Times each attempt and paces the back-off. */
  readonly clock: Clock
  /** How long one attempt may take, ms (i2c-bus itself has no timeout). Default 200. */
  readonly timeoutMs?: number
  /** Attempts repeated after a nack or a timeout, per call. Default 2. */
  readonly retries?: number
  /** `retries` for particular addresses: 0 for a chip whose reads must not repeat (a FIFO that pops). */
  readonly retriesByAddress?: Readonly<Record<number, number>>
  /** The pause before the first retry, ms; it doubles for each further one. Default 1. */
  readonly retryDelayMs?: number
  /** 'auto' (default): plain I2C where the adapter does it (i2cFuncs().i2c), SMBus commands otherwise. */
  readonly transfers?: 'auto' | 'i2c' | 'smbus'
}

/** A Linux I2C bus, with its per-address counters. */
export interface LinuxI2cBus extends I2cBus {
  readonly name: string
  /** 'i2c' or 'smbus': how transactions map onto the adapter (drivers/linux/i2c-transfers.ts). */
  readonly mode: Transfers['mode']
  stats(): ReadonlyMap<number, I2cAddressStats>
}

/** Kinds worth another attempt: the device may answer next time. Nothing else is retried. */
const RETRIED: ReadonlySet<HalErrorKind> = new Set(['nack', 'timeout'])

/**
 * Opens /dev/i2c-<busNumber> through i2c-bus (loaded here, lazily: an optionalDependency).
 *
 * - Every call goes through one FIFO AsyncLock per bus. That is the contract's ordering, and it
 *   also avoids i2c-bus's fd leak on concurrent first access to an address (dependencies.md §2).
 * - Each attempt has its own deadline on the Clock (`timeoutMs`): i2c-bus has none, and a wedged
 *   call holds a libuv pool thread. An attempt past its deadline fails with 'timeout'; the next
 *   library call starts only once that one has returned, so there is never more than one.
 * - Errors are mapped from errno (i2c-errno.ts). Calls failing with 'nack' (EREMOTEIO, ENXIO, EIO,
 *   ENODEV) or 'timeout' (ETIMEDOUT, or our deadline) are retried up to `retries` times, per
 *   address, after 1, 2, 4… × `retryDelayMs`; 'bus', 'busy', 'not-supported' and 'other' are not.
 *   A retried write may reach the chip twice: give chips where that matters 0 in `retriesByAddress`.
 * - Transfers longer than the SMBus block limit (32 bytes) work: see i2c-transfers.ts for which
 *   library calls each transaction uses, on plain-I2C and on SMBus-only adapters.
 *
 * Rejects with HalError 'not-supported' when the device file is missing (bus not enabled).
 */
export async function openLinuxI2cBus(busNumber: number, options: LinuxI2cBusOptions): Promise<LinuxI2cBus> {
  if (!Number.isInteger(busNumber) || busNumber < 0) throw new RangeError(`I2C bus number must be a non-negative integer, got ${busNumber}`)
  const path = `/dev/i2c-${busNumber}`
  try {
    await access(path)
  } catch (error) {
    throw new HalError('not-supported', `${path} does not exist: enable I2C (Raspberry Pi: sudo raspi-config nonint do_i2c 0, or dtparam=i2c_arm=on in config.txt, then reboot)`, { cause: error })
  }
  const library = await loadI2cBus(path)
  let bus: I2cLibraryBus
  let mode: Transfers['mode']
  try {
    bus = await library.openPromisified(busNumber)
    mode = options.transfers === 'i2c' || options.transfers === 'smbus' ? options.transfers : (await bus.i2cFuncs()).i2c ? 'i2c' : 'smbus'
  } catch (error) {
    throw i2cHalError(error, `${path}: open`)
  }
  return createLinuxI2cBus({ ...options, name: `i2c-${busNumber}`, library: bus, mode })
}

async function loadI2cBus(path: string): Promise<typeof import('i2c-bus')> {
  try {
    return await import('i2c-bus')
  } catch (error) {
    throw new HalError('not-supported', `${path}: the i2c-bus package is not installed or did not build (npm install i2c-bus; it compiles with node-gyp)`, { cause: error })
  }
}

/** The adapter over a library bus that is already open (openLinuxI2cBus; a test's own library). */
export function createLinuxI2cBus(options: LinuxI2cBusOptions & { readonly name: string; readonly library: I2cLibraryBus; readonly mode: Transfers['mode'] }): LinuxI2cBus {
  return new LinuxI2cBusImpl(options)
}

class LinuxI2cBusImpl implements LinuxI2cBus {
  readonly name: string
  readonly mode: Transfers['mode']
  readonly #library: I2cLibraryBus
  readonly #transfers: Transfers
  readonly #clock: Clock
  readonly #timeoutMs: number
  readonly #retries: (address: number) => number
  readonly #retryDelayMs: number
  readonly #lock = new AsyncLock()
  readonly #stats = new I2cStats()
  /** Settles when the last library call has returned, whatever its caller was told. */
  #inFlight: Promise<void> = Promise.resolve()
  #closed = false
  #closing: Promise<void> | undefined

  constructor(options: LinuxI2cBusOptions & { readonly name: string; readonly library: I2cLibraryBus; readonly mode: Transfers['mode'] }) {
    this.name = options.name
    this.mode = options.mode
    this.#library = options.library
    this.#transfers = options.mode === 'i2c' ? plainI2c(options.library) : smbus(options.library)
    this.#clock = options.clock
    this.#timeoutMs = nonNegative('timeoutMs', options.timeoutMs ?? 200)
    this.#retryDelayMs = nonNegative('retryDelayMs', options.retryDelayMs ?? 1)
    const retries = nonNegative('retries', options.retries ?? 2)
    const byAddress = options.retriesByAddress ?? {}
    for (const value of Object.values(byAddress)) nonNegative('retriesByAddress', value)
    this.#retries = address => byAddress[address] ?? retries
  }

  writeRead(address: number, bytes: Uint8Array, length: number): Promise<Uint8Array> {
    checkCall(address, length)
    return this.#lock.run(() => this.#transact(address, 'writeRead', () => this.#transfers.writeRead(address, bytes, length)))
  }

  write(address: number, bytes: Uint8Array): Promise<void> {
    checkCall(address, 0)
    return this.#lock.run(() => this.#transact(address, 'write', () => this.#transfers.write(address, bytes)))
  }

  read(address: number, length: number): Promise<Uint8Array> {
    checkCall(address, length)
    return this.#lock.run(() => this.#transact(address, 'read', () => this.#transfers.read(address, length)))
  }

  exclusive<T>(work: (bus: I2cBus) => Promise<T>): Promise<T> {
    return this.#lock.run(async () => {
      this.#checkOpen()
      let open = true
      const guarded = <R>(call: () => Promise<R>): Promise<R> =>
        open ? call() : Promise.reject(new HalError('closed', `${this.name}: exclusive() view used after its work settled`))
      const view: I2cBus = {
        writeRead: (address, bytes, length) => guarded(() => this.#transact(address, 'writeRead', () => this.#transfers.writeRead(address, bytes, length))),
        write: (address, bytes) => guarded(() => this.#transact(address, 'write', () => this.#transfers.write(address, bytes))),
        read: (address, length) => guarded(() => this.#transact(address, 'read', () => this.#transfers.read(address, length))),
        exclusive: inner => guarded(() => inner(view)),
        close: () => this.close(),
      }
      try {
        return await work(view)
      } finally {
        open = false
      }
    })
  }

  close(): Promise<void> {
    this.#closing ??= this.#lock.run(async () => {
      this.#closed = true
      await this.#inFlight
      await this.#library.close().catch(() => undefined) // the fds are gone either way
    })
    return this.#closing
  }

  stats(): ReadonlyMap<number, I2cAddressStats> {
    return this.#stats.snapshot()
  }

  /** One call: attempts with a deadline each, retried with back-off on nack or timeout. */
  async #transact<T>(address: number, what: string, call: () => Promise<T>): Promise<T> {
    this.#checkOpen()
    this.#stats.transaction(address)
    const where = `${this.name} 0x${address.toString(16).padStart(2, '0')} ${what}`
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#attempt(call, where)
      } catch (error) {
        const failure = i2cHalError(error, where)
        this.#stats.failure(address, failure.kind)
        if (attempt >= this.#retries(address) || !RETRIED.has(failure.kind)) throw failure
        this.#stats.retry(address)
        await this.#clock.sleep(this.#retryDelayMs * 2 ** attempt)
      }
    }
  }

  /** Starts `call` once the previous library call has returned, and gives it `timeoutMs`. */
  #attempt<T>(call: () => Promise<T>, where: string): Promise<T> {
    const started = this.#inFlight.then(call)
    this.#inFlight = started.then(() => undefined, () => undefined)
    return withDeadline(this.#clock, this.#timeoutMs, started, () => new HalError('timeout', `${where}: no answer within ${this.#timeoutMs} ms`))
  }

  #checkOpen(): void {
    if (this.#closed) throw new HalError('closed', `${this.name} is closed`)
  }
}

/** `work`, or `onTimeout()` if `ms` of the clock pass first; the deadline leaves no timer behind. */
async function withDeadline<T>(clock: Clock, ms: number, work: Promise<T>, onTimeout: () => HalError): Promise<T> {
  const controller = new AbortController()
  const deadline = clock.sleep(ms, controller.signal).then(
    () => Promise.reject(onTimeout()),
    () => new Promise<never>(() => undefined), // aborted: the work won
  )
  try {
    return await Promise.race([work, deadline])
  } finally {
    controller.abort()
  }
}

function checkCall(address: number, length: number): void {
  if (!Number.isInteger(address) || address < 0 || address > 0x7f) throw new RangeError(`I2C address must be 0..0x7f, got ${address}`)
  if (!Number.isInteger(length) || length < 0) throw new RangeError(`I2C read length must be a non-negative integer, got ${length}`)
}

function nonNegative(name: string, value: number): number {
  if (!(Number.isFinite(value) && value >= 0)) throw new RangeError(`${name} must be a non-negative number, got ${value}`)
  return value
}
