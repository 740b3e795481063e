import type { Clock } from '../../hal/clock.ts'
import { readRegisters, writeRegisters, type I2cDevice } from '../../hal/i2c.ts'
import { AsyncLock } from '../../hal/lock.ts'
import { DriverError, io, type Sensor } from '../sensor.ts'
import { temperatureFromBytes } from './conversion.ts'
import { max30205Reading, type Max30205Reading } from './reading.ts'
import { CONFIG, CONVERSION_MS, REG } from './registers.ts'
import { configurationByte, DEFAULT_MAX30205_SETTINGS, type Max30205Settings } from './settings.ts'

const CHIP = 'max30205'

/**
 * Maxim MAX30205 human body temperature sensor, one one-shot conversion per sample(): the part
 * stays in shutdown between samples and draws shutdown current.
 *
 * Contract: the constructor does no I/O. init() writes the configuration and reads it back:
 * the part has no id register, so a device that does not keep what was written is rejected
 * with DriverError 'identity'. sample() before init() rejects with 'usage'; bus failures with
 * 'io' (cause: the HalError). A temperature outside 0..50 °C comes back with quality 'fault',
 * fault 'out-of-range'. Calls are serialised.
 */
export class Max30205 implements Sensor<Max30205Reading> {
  readonly #device: I2cDevice
  readonly #clock: Clock
  readonly #settings: Max30205Settings
  readonly #lock = new AsyncLock()
  #ready = false

  constructor(device: I2cDevice, clock: Clock, settings: Max30205Settings = DEFAULT_MAX30205_SETTINGS) {
    this.#device = device
    this.#clock = clock
    this.#settings = settings
  }

  init(): Promise<void> {
    return this.#lock.run(() => this.#init())
  }

  sample(signal?: AbortSignal): Promise<Max30205Reading> {
    return this.#lock.run(() => this.#sample(signal))
  }

  /** The part is already in shutdown between one-shot conversions. */
  close(): Promise<void> {
    return this.#lock.run(async () => {
      this.#ready = false
    })
  }

  async #init(): Promise<void> {
    const configuration = configurationByte(this.#settings)
    await io(CHIP, 'init', () => writeRegisters(this.#device, REG.CONFIGURATION, configuration))
    const [readBack] = await io(CHIP, 'init', () => readRegisters(this.#device, REG.CONFIGURATION, 1))
    if (readBack !== configuration) {
      throw new DriverError(CHIP, 'init', 'identity', `configuration reads 0x${hex(readBack)} after writing 0x${hex(configuration)}: not a MAX30205?`)
    }
    this.#ready = true
  }

  async #sample(signal: AbortSignal | undefined): Promise<Max30205Reading> {
    if (!this.#ready) throw new DriverError(CHIP, 'sample', 'usage', 'init() has not completed')
    // One-shot works from shutdown: the part converts once and shuts down again.
    await io(CHIP, 'sample', () => writeRegisters(this.#device, REG.CONFIGURATION, configurationByte(this.#settings) | CONFIG.ONE_SHOT))
    await this.#clock.sleep(CONVERSION_MS, signal)
    const atMs = this.#clock.now()
    const bytes = await io(CHIP, 'sample', () => readRegisters(this.#device, REG.TEMPERATURE, 2))
    return max30205Reading(temperatureFromBytes(bytes, this.#settings.extendedFormat), atMs)
  }
}

const hex = (value: number | undefined): string => (value ?? 0).toString(16).padStart(2, '0')
