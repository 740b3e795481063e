import type { Clock } from '../../hal/clock.ts'
import { readRegisters, writeRegisters, type I2cDevice } from '../../hal/i2c.ts'
import { AsyncLock } from '../../hal/lock.ts'
import { DriverError, io, type Sensor } from '../sensor.ts'
import { isBlankCalibration, parseCalibration, type Bme280Calibration } from './calibration.ts'
import { compensate, parseRawSample } from './compensation.ts'
import { bme280Reading, type Bme280Reading } from './reading.ts'
import { BMP280_CHIP_ID, CHIP_ID, LENGTH, MODE, REG, SOFT_RESET, STARTUP_MS, STATUS } from './registers.ts'
import { configByte, ctrlHumByte, ctrlMeasByte, DEFAULT_BME280_SETTINGS, measurementTimeMs, type Bme280Settings } from './settings.ts'

const CHIP = 'bme280'
/** How long to keep polling a status bit after the datasheet's time is up, and how often. */
const POLL_MS = 1
const POLL_LIMIT = 10

/**
 * Bosch BME280 on I2C, one forced-mode measurement per sample() (datasheet 3.3.2: the chip
 * measures once, then goes back to sleep, so it draws sleep current between samples).
 *
 * Contract: the constructor does no I/O. init() checks the chip id (DriverError 'identity'; a
 * BMP280 answers 0x58), soft-resets, reads the trimming parameters ('data' if they are blank) and
 * writes the settings. sample() before init() rejects with 'usage'; bus failures reject with
 * 'io' whose cause is the HalError; a conversion that never finishes rejects with 'timeout'.
 * Values outside the operating range come back with quality 'fault'. Calls are serialised.
 */
export class Bme280 implements Sensor<Bme280Reading> {
  readonly #device: I2cDevice
  readonly #clock: Clock
  readonly #settings: Bme280Settings
  readonly #lock = new AsyncLock()
  #calibration: Bme280Calibration | undefined

  constructor(device: I2cDevice, clock: Clock, settings: Bme280Settings = DEFAULT_BME280_SETTINGS) {
    this.#device = device
    this.#clock = clock
    this.#settings = settings
  }

  init(): Promise<void> {
    return this.#lock.run(() => this.#init())
  }

  sample(signal?: AbortSignal): Promise<Bme280Reading> {
    return this.#lock.run(() => this.#sample(signal))
  }

  /** Forced mode leaves the chip asleep after every measurement, so there is nothing to switch off. */
  close(): Promise<void> {
    return this.#lock.run(async () => {
      this.#calibration = undefined
    })
  }

  async #init(): Promise<void> {
    const [id] = await this.#read('init', REG.ID, 1)
    if (id !== CHIP_ID) {
      const hint = id === BMP280_CHIP_ID ? ' (a BMP280: no humidity sensor)' : ''
      throw new DriverError(CHIP, 'init', 'identity', `chip id 0x${hex(id)} is not 0x${hex(CHIP_ID)}${hint}`)
    }
    await this.#write('init', REG.RESET, SOFT_RESET)
    await this.#clock.sleep(STARTUP_MS)
    await this.#waitWhile(STATUS.IM_UPDATE, 'init')
    const calibration = parseCalibration(await this.#read('init', REG.CALIB_00, LENGTH.CALIB_00), await this.#read('init', REG.CALIB_26, LENGTH.CALIB_26))
    if (isBlankCalibration(calibration)) throw new DriverError(CHIP, 'init', 'data', 'trimming parameters read as zero (dig_T1 or dig_P1)')
    // config may be ignored in normal mode but never in sleep mode (5.4.6); the chip sleeps
    // after the reset, and forced mode never leaves it in normal mode. Writing config also
    // resets the IIR filter (3.4.4), which is why sample() never rewrites it.
    await this.#write('init', REG.CONFIG, configByte(this.#settings))
    // ctrl_hum takes effect only with the next ctrl_meas write (5.4.3).
    await this.#write('init', REG.CTRL_HUM, ctrlHumByte(this.#settings))
    await this.#write('init', REG.CTRL_MEAS, ctrlMeasByte(this.#settings, MODE.SLEEP))
    this.#calibration = calibration
  }

  async #sample(signal: AbortSignal | undefined): Promise<Bme280Reading> {
    const calibration = this.#calibration
    if (calibration === undefined) throw new DriverError(CHIP, 'sample', 'usage', 'init() has not completed')
    // ctrl_hum again, so a chip that browned out and lost it still measures humidity; it
    // is latched by the ctrl_meas write that starts the measurement (5.4.3).
    await this.#write('sample', REG.CTRL_HUM, ctrlHumByte(this.#settings))
    await this.#write('sample', REG.CTRL_MEAS, ctrlMeasByte(this.#settings, MODE.FORCED))
    await this.#clock.sleep(Math.ceil(measurementTimeMs(this.#settings)), signal)
    await this.#waitWhile(STATUS.MEASURING, 'sample', signal)
    const atMs = this.#clock.now()
    const raw = parseRawSample(await this.#read('sample', REG.PRESS_MSB, LENGTH.DATA))
    return bme280Reading(compensate(raw, calibration), atMs)
  }

  /** Polls status until `bit` clears: the datasheet's time has already been waited, this covers slow parts. */
  async #waitWhile(bit: number, operation: string, signal?: AbortSignal): Promise<void> {
    for (let poll = 0; poll <= POLL_LIMIT; poll++) {
      if (poll > 0) await this.#clock.sleep(POLL_MS, signal)
      const [status] = await this.#read(operation, REG.STATUS, 1)
      if (((status ?? 0xff) & bit) === 0) return
    }
    throw new DriverError(CHIP, operation, 'timeout', `status bit 0x${hex(bit)} still set after ${POLL_LIMIT * POLL_MS} ms more than the datasheet allows`)
  }

  #read(operation: string, register: number, length: number): Promise<Uint8Array> {
    return io(CHIP, operation, () => readRegisters(this.#device, register, length))
  }

  #write(operation: string, register: number, value: number): Promise<void> {
    return io(CHIP, operation, () => writeRegisters(this.#device, register, value))
  }
}

const hex = (value: number | undefined): string => (value ?? 0).toString(16).padStart(2, '0')
