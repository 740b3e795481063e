import type { I2cLibraryBus } from '../../../drivers/linux/i2c-transfers.ts'

/** An errno error as i2c-bus's native calls reject with. */
export function errnoError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}, fake i2c-bus`), { code })
}

interface Chip {
  readonly registers: Uint8Array
  pointer: number
}

/**
 * A stand-in for i2c-bus's PromisifiedBus over register-file chips, for testing the adapter's
 * own logic on the host. `plain: false` makes it SMBus-only, as i2c-stub is: i2cRead and
 * i2cWrite reject with EOPNOTSUPP. Faults: `failNext` rejects the next calls to an address with
 * errno codes; `hangNext` leaves the next call pending until the returned function is called.
 */
export class FakeI2cLibrary implements I2cLibraryBus {
  readonly #chips = new Map<number, Chip>()
  readonly #plain: boolean
  readonly #faults = new Map<number, string[]>()
  readonly #hangs = new Map<number, Promise<void>>()
  /** Every library call, in order: 'i2cRead 0x76 48'. */
  readonly calls: string[] = []
  closed = false

  constructor(options: { plain: boolean }) {
    this.#plain = options.plain
  }

  attach(address: number, registers: Uint8Array): this {
    this.#chips.set(address, { registers: Uint8Array.from(registers), pointer: 0 })
    return this
  }

  failNext(address: number, ...codes: string[]): void {
    this.#faults.set(address, [...(this.#faults.get(address) ?? []), ...codes])
  }

  hangNext(address: number): () => void {
    let release = (): void => undefined
    this.#hangs.set(address, new Promise<void>(resolve => (release = resolve)))
    return release
  }

  async i2cFuncs(): ReturnType<I2cLibraryBus['i2cFuncs']> {
    return { i2c: this.#plain } as Awaited<ReturnType<I2cLibraryBus['i2cFuncs']>>
  }

  async i2cRead(address: number, length: number, buffer: Buffer): Promise<{ bytesRead: number; buffer: Buffer }> {
    const chip = await this.#enter(`i2cRead 0x${address.toString(16)} ${length}`, address, true)
    for (let i = 0; i < length; i++) buffer[i] = chip.registers[chip.pointer++ & 0xff]!
    return { bytesRead: length, buffer }
  }

  async i2cWrite(address: number, length: number, buffer: Buffer): Promise<{ bytesWritten: number; buffer: Buffer }> {
    const chip = await this.#enter(`i2cWrite 0x${address.toString(16)} ${length}`, address, true)
    chip.pointer = buffer[0]!
    for (let i = 1; i < length; i++) chip.registers[chip.pointer++ & 0xff] = buffer[i]!
    return { bytesWritten: length, buffer }
  }

  async readI2cBlock(address: number, command: number, length: number, buffer: Buffer): Promise<{ bytesRead: number; buffer: Buffer }> {
    const chip = await this.#enter(`readI2cBlock 0x${address.toString(16)} 0x${command.toString(16)} ${length}`, address, false)
    if (length > 32) throw new Error('Invalid I2C block read length') // i2c-bus checks this synchronously
    for (let i = 0; i < length; i++) buffer[i] = chip.registers[(command + i) & 0xff]!
    return { bytesRead: length, buffer }
  }

  async writeI2cBlock(address: number, command: number, length: number, buffer: Buffer): Promise<{ bytesWritten: number; buffer: Buffer }> {
    const chip = await this.#enter(`writeI2cBlock 0x${address.toString(16)} 0x${command.toString(16)} ${length}`, address, false)
    for (let i = 0; i < length; i++) chip.registers[(command + i) & 0xff] = buffer[i]!
    return { bytesWritten: length, buffer }
  }

  async receiveByte(address: number): Promise<number> {
    const chip = await this.#enter(`receiveByte 0x${address.toString(16)}`, address, false)
    return chip.registers[chip.pointer++ & 0xff]!
  }

  async sendByte(address: number, byte: number): Promise<void> {
    const chip = await this.#enter(`sendByte 0x${address.toString(16)} 0x${byte.toString(16)}`, address, false)
    chip.pointer = byte
  }

  async writeByte(address: number, command: number, byte: number): Promise<void> {
    const chip = await this.#enter(`writeByte 0x${address.toString(16)} 0x${command.toString(16)}`, address, false)
    chip.registers[command] = byte
    chip.pointer = command + 1
  }

  async writeQuick(address: number): Promise<void> {
    await this.#enter(`writeQuick 0x${address.toString(16)}`, address, false)
  }

  async close(): Promise<void> {
    this.closed = true
  }

  async #enter(call: string, address: number, plainOnly: boolean): Promise<Chip> {
    this.calls.push(call)
    const hang = this.#hangs.get(address)
    if (hang !== undefined) {
      this.#hangs.delete(address)
      await hang
    }
    const fault = this.#faults.get(address)?.shift()
    if (fault !== undefined) throw errnoError(fault)
    if (plainOnly && !this.#plain) throw errnoError('EOPNOTSUPP')
    const chip = this.#chips.get(address)
    if (chip === undefined) throw errnoError('EREMOTEIO')
    return chip
  }
}
