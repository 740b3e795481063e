import type { Clock } from '../hal/clock.ts'
import type { HalErrorKind } from '../hal/errors.ts'
import type { SerialLine } from '../hal/serial.ts'
import { SimGpio } from './sim-gpio.ts'
import { SimI2cBus, type SimI2cChip } from './sim-i2c-bus.ts'
import { createSimSerialPair, type SimSerialEnd } from './sim-serial.ts'

/** A simulated device on the far end of a serial line that streams on its own (a LiDAR, a GPS). */
export interface SimSerialDevice {
  run(signal: AbortSignal): Promise<void>
}

/** How to build the emulator of each chip id: drivers/sim/chips/registry.ts has the shipped ones. */
export interface SimChipFactories {
  readonly i2c: Readonly<Record<string, (address: number, clock: Clock) => SimI2cChip>>
  readonly serial: Readonly<Record<string, (farEnd: SerialLine, clock: Clock) => SimSerialDevice>>
}

/** The wiring a simulated board needs from a board definition (boards/schema.ts). */
export interface SimWiring {
  readonly i2c: Readonly<Record<string, { readonly devices: Readonly<Record<string, { readonly chip: string; readonly address: number }>> }>>
  readonly serial: Readonly<Record<string, { readonly chip?: string | undefined }>>
}

/**
 * Every simulated device of a board, built from its wiring: one SimGpio, one SimI2cBus per bus
 * with each device's emulator attached at its address, and one serial pair per line with the
 * chip's emulator on the far end. Devices are found by their board names, which is what
 * scenarios and tests use (`chip('environment')`, `i2cFault('distance', 'nack', 3)`).
 */
export class SimBoard {
  readonly gpio: SimGpio
  readonly i2cBuses = new Map<string, SimI2cBus>()
  /** The runtime's end of each serial line. */
  readonly serialLines = new Map<string, SimSerialEnd>()
  readonly #chips = new Map<string, unknown>()
  readonly #i2cOf = new Map<string, { bus: SimI2cBus; address: number }>()
  readonly #streaming: SimSerialDevice[] = []
  readonly #stop = new AbortController()
  #running: Promise<unknown> | undefined

  constructor(wiring: SimWiring, clock: Clock, factories: SimChipFactories) {
    this.gpio = new SimGpio(clock)
    for (const [busName, bus] of Object.entries(wiring.i2c)) {
      const simBus = new SimI2cBus(clock, { name: `sim:${busName}` })
      this.i2cBuses.set(busName, simBus)
      for (const [device, { chip, address }] of Object.entries(bus.devices)) {
        const create = factories.i2c[chip]
        if (create === undefined) throw new RangeError(`sim board: no emulator for chip '${chip}' (device '${device}')`)
        const emulator = create(address, clock)
        simBus.attach(emulator)
        this.#chips.set(device, emulator)
        this.#i2cOf.set(device, { bus: simBus, address })
      }
    }
    for (const [line, { chip }] of Object.entries(wiring.serial)) {
      const [near, far] = createSimSerialPair(clock, [`sim:${line}`, `sim:${line}:device`])
      this.serialLines.set(line, near)
      if (chip === undefined) continue
      const create = factories.serial[chip]
      if (create === undefined) throw new RangeError(`sim board: no emulator for chip '${chip}' (serial '${line}')`)
      const emulator = create(far, clock)
      this.#chips.set(line, emulator)
      this.#streaming.push(emulator)
    }
  }

  /** Whether the board has an emulated device of that name. */
  has(device: string): boolean {
    return this.#chips.has(device)
  }

  /** The emulator of a board device, e.g. `board.chip<SimBme280>('environment')`. */
  chip<T>(device: string): T {
    const emulator = this.#chips.get(device)
    if (emulator === undefined) throw new RangeError(`sim board: no device '${device}' (it has: ${[...this.#chips.keys()].join(', ')})`)
    return emulator as T
  }

  /** Starts the streaming emulators (serial devices send on their own). */
  start(): void {
    this.#running ??= Promise.allSettled(this.#streaming.map(device => device.run(this.#stop.signal)))
  }

  async stop(): Promise<void> {
    this.#stop.abort()
    await this.#running
  }

  // ---- fault controls, by device name (scenarios and tests) ----

  /** The next `count` transactions to the device fail with `kind`. */
  i2cFault(device: string, kind: HalErrorKind, count = 1): void {
    const { bus, address } = this.#i2c(device)
    bus.injectFaults(address, ...Array.from({ length: count }, () => kind))
  }

  /** Every read from the device returns `value` until clear(). */
  stick(device: string, value: number): void {
    const { bus, address } = this.#i2c(device)
    bus.stick(address, value)
  }

  /** The device's whole bus locks up (SDA held low) until clear(). */
  lockUp(device: string): void {
    this.#i2c(device).bus.lockUp()
  }

  /** Pulls a serial line's cable. */
  disconnect(device: string): void {
    this.#serial(device).disconnect()
  }

  /** Ends every standing fault on the device: stuck value, lock-up, disconnection. */
  clear(device: string): void {
    const i2c = this.#i2cOf.get(device)
    if (i2c !== undefined) {
      i2c.bus.unstick(i2c.address)
      i2c.bus.release()
      return
    }
    this.#serial(device).reconnect()
  }

  #i2c(device: string): { bus: SimI2cBus; address: number } {
    const found = this.#i2cOf.get(device)
    if (found === undefined) throw new RangeError(`sim board: no I2C device '${device}' (it has: ${[...this.#i2cOf.keys()].join(', ')})`)
    return found
  }

  #serial(device: string): SimSerialEnd {
    const found = this.serialLines.get(device)
    if (found === undefined) throw new RangeError(`sim board: no serial line '${device}' (it has: ${[...this.serialLines.keys()].join(', ')})`)
    return found
  }
}
