import type { Clock } from '../hal/clock.ts'
import { HalError, type HalErrorKind } from '../hal/errors.ts'
import type { I2cBus } from '../hal/i2c.ts'
import { AsyncLock } from '../hal/lock.ts'

/** A chip model on a simulated bus. Like the real part, it only sees bytes. */
export interface SimI2cChip {
  readonly address: number
  /** One write phase addressed to the chip (a register pointer, then data). */
  onWrite(bytes: Uint8Array): void
  /** One read phase of `length` bytes. */
  onRead(length: number): Uint8Array
}

/** One transaction as the bus saw it, for tests that check traffic. */
export type SimI2cTransaction =
  | { readonly op: 'write'; readonly address: number; readonly bytes: readonly number[] }
  | { readonly op: 'read'; readonly address: number; readonly length: number }
  | { readonly op: 'writeRead'; readonly address: number; readonly bytes: readonly number[]; readonly length: number }

export interface SimI2cBusOptions {
  /** For messages: 'sim:main'. */
  readonly name?: string
  /** How long an injected 'timeout' (and a locked-up bus) takes to fail, ms. Default 10. */
  readonly timeoutMs?: number
}

/**
 * A simulated I2C bus: an equal of the real adapter (same contract, test/contract/i2c-bus.contract.ts),
 * plus controls for tests and scenarios. One instance per simulated board or test.
 *
 * Faults: `injectFaults()` fails the next transactions to one address, one per kind given;
 * `stick()` makes a device answer every read with one byte value (a stuck SDA or dead chip that
 * still ACKs); `lockUp()` makes every transaction time out (SDA held low) until `release()`.
 * A 'timeout' takes `timeoutMs` of the clock's time to fail, as a real one would.
 */
export class SimI2cBus implements I2cBus {
  readonly name: string
  readonly #clock: Clock
  readonly #timeoutMs: number
  readonly #chips = new Map<number, SimI2cChip>()
  readonly #faults = new Map<number, HalErrorKind[]>()
  readonly #stuck = new Map<number, number>()
  readonly #lock = new AsyncLock()
  #lockedUp = false
  #closed = false
  #trace: SimI2cTransaction[] | null = null

  constructor(clock: Clock, options: SimI2cBusOptions = {}) {
    this.#clock = clock
    this.name = options.name ?? 'sim i2c'
    this.#timeoutMs = options.timeoutMs ?? 10
  }

  attach(chip: SimI2cChip): this {
    if (this.#chips.has(chip.address)) throw new RangeError(`${this.name}: address 0x${hex(chip.address)} is already taken`)
    this.#chips.set(chip.address, chip)
    return this
  }

  detach(address: number): void {
    this.#chips.delete(address)
  }

  injectFaults(address: number, ...kinds: HalErrorKind[]): void {
    this.#faults.set(address, [...(this.#faults.get(address) ?? []), ...kinds])
  }

  /** Every read from `address` returns `value` in each byte until unstick(). */
  stick(address: number, value: number): void {
    this.#stuck.set(address, value & 0xff)
  }

  unstick(address: number): void {
    this.#stuck.delete(address)
  }

  lockUp(): void {
    this.#lockedUp = true
  }

  release(): void {
    this.#lockedUp = false
  }

  /** Starts recording transactions; the returned function stops and returns them. */
  trace(): () => SimI2cTransaction[] {
    const recorded: SimI2cTransaction[] = []
    this.#trace = recorded
    return () => {
      if (this.#trace === recorded) this.#trace = null
      return recorded
    }
  }

  writeRead(address: number, bytes: Uint8Array, length: number): Promise<Uint8Array> {
    return this.#lock.run(() => this.#writeRead(address, bytes, length))
  }

  write(address: number, bytes: Uint8Array): Promise<void> {
    return this.#lock.run(() => this.#write(address, bytes))
  }

  read(address: number, length: number): Promise<Uint8Array> {
    return this.#lock.run(() => this.#read(address, length))
  }

  exclusive<T>(work: (bus: I2cBus) => Promise<T>): Promise<T> {
    return this.#lock.run(() => {
      let open = true
      const guard = (): void => {
        if (!open) throw new HalError('closed', `${this.name}: exclusive() view used after its work settled`)
      }
      const view: I2cBus = {
        writeRead: async (address, bytes, length) => (guard(), this.#writeRead(address, bytes, length)),
        write: async (address, bytes) => (guard(), this.#write(address, bytes)),
        read: async (address, length) => (guard(), this.#read(address, length)),
        exclusive: inner => inner(view),
        close: () => this.close(),
      }
      return work(view).finally(() => {
        open = false
      })
    })
  }

  async close(): Promise<void> {
    if (this.#closed) return
    await this.#lock.run(async () => {
      this.#closed = true
    })
  }

  async #writeRead(address: number, bytes: Uint8Array, length: number): Promise<Uint8Array> {
    this.#record({ op: 'writeRead', address, bytes: [...bytes], length })
    const chip = await this.#answering(address)
    chip.onWrite(bytes)
    return this.#readFrom(chip, length)
  }

  async #write(address: number, bytes: Uint8Array): Promise<void> {
    this.#record({ op: 'write', address, bytes: [...bytes] })
    const chip = await this.#answering(address)
    chip.onWrite(bytes)
  }

  async #read(address: number, length: number): Promise<Uint8Array> {
    this.#record({ op: 'read', address, length })
    return this.#readFrom(await this.#answering(address), length)
  }

  #readFrom(chip: SimI2cChip, length: number): Uint8Array {
    if (!Number.isInteger(length) || length < 0) throw new RangeError(`${this.name}: read length must be a non-negative integer, got ${length}`)
    const stuck = this.#stuck.get(chip.address)
    if (stuck !== undefined) return new Uint8Array(length).fill(stuck)
    return Uint8Array.from(chip.onRead(length))
  }

  #record(transaction: SimI2cTransaction): void {
    this.#trace?.push(transaction)
  }

  async #answering(address: number): Promise<SimI2cChip> {
    if (this.#closed) throw new HalError('closed', `${this.name} is closed`)
    const fault = this.#lockedUp ? 'timeout' : this.#faults.get(address)?.shift()
    if (fault !== undefined) {
      if (fault === 'timeout') await this.#clock.sleep(this.#timeoutMs)
      throw new HalError(fault, `${this.name} 0x${hex(address)}: ${this.#lockedUp ? 'bus locked up (SDA held low)' : `injected ${fault}`}`)
    }
    const chip = this.#chips.get(address)
    if (chip === undefined) throw new HalError('nack', `${this.name} 0x${hex(address)}: no device acknowledges`)
    return chip
  }
}

const hex = (value: number): string => value.toString(16).padStart(2, '0')
