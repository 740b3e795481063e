import type * as z from 'zod'
import type { Clock } from '../hal/clock.ts'
import type { InputPin } from '../hal/gpio.ts'
import type { I2cDevice } from '../hal/i2c.ts'
import type { SerialLine } from '../hal/serial.ts'

/**
 * How far a reading can be trusted (ARCHITECTURE.md, "validate data at the entry point"):
 * - 'good': measured and plausible
 * - 'stale': older than the task's max age (decided by the runtime, never by a driver)
 * - 'fault': the chip answered but the value cannot be trusted (checksum, out of the plausible
 *   range, probe off, signal too weak); `fault` says why in a few words
 * An I/O error is not a reading at all: sample() rejects with DriverError.
 */
export type Quality = 'good' | 'stale' | 'fault'

/** What every reading has. A chip's reading adds its channels as unit-suffixed number fields. */
export interface Reading {
  /** When the measurement was taken, on the runtime Clock, ms. */
  readonly atMs: number
  readonly quality: Quality
  /** With quality 'fault': why, e.g. 'checksum', 'probe-off', 'signal-low', 'out-of-range'. */
  readonly fault?: string
}

/** One value a sensor provides. The name is the reading's field name and carries the unit. */
export interface ChannelInfo {
  /** 'temperatureC', 'distanceM', 'heartRateBpm' … */
  readonly name: string
  /** The unit for people: '°C', 'm', 'bpm', '%', 'Pa', 'm/s²', 'V' … */
  readonly unit: string
  readonly description: string
  /** The range the part can physically report (datasheet); outside it a value is implausible. */
  readonly min: number
  readonly max: number
}

/**
 * A chip driver (STYLE.md §3). The constructor does no I/O and starts no timers; the scheduler
 * decides when sample() runs.
 */
export interface Sensor<R extends Reading = Reading> {
  /** Checks identity and configures the chip. Rejects with DriverError. */
  init(): Promise<void>
  /** Takes one measurement. Rejects with DriverError (its cause is the HalError) on an I/O failure. */
  sample(signal?: AbortSignal): Promise<R>
  /** Puts the chip in its lowest-power state if it has one, and releases what the driver holds (not the bus). */
  close(): Promise<void>
}

/** Where a sensor is connected: given to the driver from outside (STYLE.md §3, embedded-hal). */
export type SensorPort =
  | { readonly bus: 'i2c'; readonly device: I2cDevice }
  | { readonly bus: 'serial'; readonly line: SerialLine }
  | { readonly bus: 'gpio'; readonly pin: InputPin }

/**
 * A chip as data: what it is, how it is connected, what it measures. Task tables and boards are
 * checked against descriptors when they are loaded, never when a sample is taken.
 */
export interface SensorDescriptor<R extends Reading = Reading, S = unknown> {
  /** 'bme280': also the folder name under drivers/sensors/ and the board file's "chip". */
  readonly chip: string
  readonly description: string
  readonly bus: SensorPort['bus']
  /** I2C addresses the part can answer on; empty for other buses. */
  readonly addresses: readonly number[]
  /** Serial: the line speed the part needs, when it has a fixed one. */
  readonly baudRate?: number
  readonly channels: readonly ChannelInfo[]
  /** The chip's settings as a board file's device entry gives them ("settings": {…}); all optional. */
  readonly settings: z.ZodType<S>
  /** Shortest sensible sampling period, ms (conversion time, output data rate). */
  readonly minPeriodMs: number
  create(port: SensorPort, clock: Clock, settings: S): Sensor<R>
}

/** What went wrong in a driver, as the runtime keys its decisions (retry, technical alarm). */
export type DriverErrorKind =
  /** The bus or line failed; `cause` is the HalError (nack, timeout, bus, closed…). */
  | 'io'
  /** The chip is not the one the board says (wrong id), or does not behave as its datasheet says. */
  | 'identity'
  /** The chip answered with bytes that fail a check (checksum, framing). */
  | 'data'
  /** No new data arrived in time (a streaming sensor went quiet, a conversion never finished). */
  | 'timeout'
  /** The driver was used wrongly (sample() before init(), a bad port). */
  | 'usage'

export class DriverError extends Error {
  override readonly name = 'DriverError'
  readonly chip: string
  readonly operation: string
  readonly kind: DriverErrorKind

  constructor(chip: string, operation: string, kind: DriverErrorKind, message: string, options?: { cause?: unknown }) {
    super(`${chip} ${operation}: ${message}`, options)
    this.chip = chip
    this.operation = operation
    this.kind = kind
  }
}

/** Runs one bus operation of a driver, turning a HalError into DriverError kind 'io' that keeps it as the cause. */
export async function io<T>(chip: string, operation: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof DriverError) throw error
    const message = error instanceof Error ? error.message : String(error)
    throw new DriverError(chip, operation, 'io', message, { cause: error })
  }
}

/** The port of the bus a descriptor expects, or DriverError kind 'usage'. */
export function portOf<B extends SensorPort['bus']>(chip: string, port: SensorPort, bus: B): Extract<SensorPort, { bus: B }> {
  if (port.bus !== bus) throw new DriverError(chip, 'create', 'usage', `needs a ${bus} port, got ${port.bus}`)
  return port as Extract<SensorPort, { bus: B }>
}
