import type { Clock } from '../../hal/clock.ts'
import type { I2cDevice } from '../../hal/i2c.ts'
import { DriverError, type Reading, type Sensor } from '../sensor.ts'
import { calibrate, configureInterrupt, dataInit, isPending, readSpadInfo, setReferenceSpads, setSignalRateLimit, setTimingBudget } from './bring-up.ts'
import { judgeRange, parseRangeResult, RESULT_LENGTH } from './conversion.ts'
import { DEFAULT_TUNING_SETTINGS, STOP_VARIABLE_CLOSE, STOP_VARIABLE_OPEN } from './init-sequence.ts'
import { pollRegister } from './poll.ts'
import { RegisterAccess } from './register-access.ts'
import { CHIP, INTERRUPT_CLEAR, MODEL_ID, REG, SEQUENCE, SYSRANGE } from './registers.ts'
import { resolveVl53l0xSettings, type Vl53l0xSettings } from './settings.ts'

export interface Vl53l0xReading extends Reading {
  /** Distance to the target, m. NaN when the chip measured none (quality 'fault': no-target, …). */
  readonly distanceM: number
  /** Return signal rate, MCPS: how much of the laser came back. */
  readonly signalRateMcps: number
}

/**
 * ST VL53L0X time-of-flight ranging sensor, single-shot ranging (one measurement per sample()).
 *
 * Contract: the constructor does no I/O. init() checks the model id (DriverError 'identity'),
 * runs ST's DataInit / StaticInit / reference calibration and applies the settings; its
 * page-0xFF sequences run inside I2cDevice.exclusive(). sample() starts one measurement, waits
 * the timing budget on the Clock and polls for the result: I/O failures reject with DriverError
 * 'io' (cause: the HalError), a step that never completes with 'timeout' (after 500 ms), an
 * abort with the signal's reason. A measurement without a target resolves with quality 'fault'.
 */
export class Vl53l0x implements Sensor<Vl53l0xReading> {
  readonly #device: I2cDevice
  readonly #clock: Clock
  readonly #settings: Vl53l0xSettings
  #stopVariable: number | undefined

  constructor(device: I2cDevice, clock: Clock, settings: Partial<Vl53l0xSettings> = {}) {
    this.#device = device
    this.#clock = clock
    this.#settings = resolveVl53l0xSettings(settings)
  }

  async init(): Promise<void> {
    this.#stopVariable = undefined
    const access = new RegisterAccess(this.#device, CHIP, 'init')
    const modelId = await access.readU8(REG.IDENTIFICATION_MODEL_ID)
    if (modelId !== MODEL_ID) {
      throw new DriverError(CHIP, 'init', 'identity', `model id 0x${hex(modelId)} is not 0x${hex(MODEL_ID)}`)
    }
    const stopVariable = await access.exclusive(async paged => {
      const stop = await dataInit(paged, this.#settings.io2v8)
      await setReferenceSpads(paged, await readSpadInfo(paged, this.#clock))
      await paged.writeAll(DEFAULT_TUNING_SETTINGS)
      return stop
    })
    // After the tuning table: it writes the API's default limit (0.25 MCPS) over any earlier one.
    await setSignalRateLimit(access, this.#settings.signalRateLimitMcps)
    await configureInterrupt(access)
    await access.write(REG.SYSTEM_SEQUENCE_CONFIG, SEQUENCE.RANGING)
    await setTimingBudget(access, this.#settings.timingBudgetMs)
    await calibrate(access, this.#clock, SEQUENCE.VHV_CALIBRATION, SYSRANGE.VHV_INIT, 'VHV calibration')
    await calibrate(access, this.#clock, SEQUENCE.PHASE_CALIBRATION, 0, 'phase calibration')
    await access.write(REG.SYSTEM_SEQUENCE_CONFIG, SEQUENCE.RANGING)
    this.#stopVariable = stopVariable
  }

  async sample(signal?: AbortSignal): Promise<Vl53l0xReading> {
    const stopVariable = this.#stopVariable
    if (stopVariable === undefined) throw new DriverError(CHIP, 'sample', 'usage', 'init() has not completed')
    const access = new RegisterAccess(this.#device, CHIP, 'sample')
    const poll = { chip: CHIP, operation: 'sample', signal }
    // API VL53L0X_StartMeasurement: the stop variable goes back on page 1 before every start.
    await access.exclusive(async paged => {
      await paged.writeAll(STOP_VARIABLE_OPEN)
      await paged.write(REG.STOP_VARIABLE, stopVariable)
      await paged.writeAll(STOP_VARIABLE_CLOSE)
      await paged.write(REG.SYSRANGE_START, SYSRANGE.START_STOP)
    })
    await pollRegister(access, this.#clock, REG.SYSRANGE_START, value => (value & SYSRANGE.START_STOP) === 0, { ...poll, what: 'measurement start' })
    await this.#clock.sleep(this.#settings.timingBudgetMs, signal)
    await pollRegister(access, this.#clock, REG.RESULT_INTERRUPT_STATUS, isPending, { ...poll, what: 'measurement' })
    const atMs = this.#clock.now()
    const result = parseRangeResult(await access.read(REG.RESULT_RANGE_STATUS, RESULT_LENGTH))
    await access.write(REG.SYSTEM_INTERRUPT_CLEAR, INTERRUPT_CLEAR)
    return Object.freeze({ atMs, ...judgeRange(result), signalRateMcps: result.signalRateMcps })
  }

  /** Nothing to switch off: in single-shot mode the chip idles in standby between measurements. */
  async close(): Promise<void> {
    this.#stopVariable = undefined
  }
}

const hex = (value: number): string => value.toString(16).padStart(2, '0')
