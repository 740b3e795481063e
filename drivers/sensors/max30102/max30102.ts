import type { Clock } from '../../hal/clock.ts'
import { readRegisters, writeRegisters, type I2cDevice } from '../../hal/i2c.ts'
import { DriverError, io, type Sensor } from '../sensor.ts'
import {
  configProblems,
  DEFAULT_CONFIG,
  fifoConfigByte,
  ledCount,
  ledPulseAmplitude,
  modeByte,
  outputRateHz,
  RESET_BYTE,
  resolutionBits,
  SHUTDOWN_BYTE,
  spo2ConfigByte,
  type Max30102Config,
} from './config.ts'
import { fifoLevel, forEachSample } from './fifo.ts'
import { PpgEstimator } from './ppg-estimator.ts'
import { buildReading, type Max30102Reading } from './reading.ts'
import { BIT, BYTES_PER_LED, PART_ID, REG } from './registers.ts'

const CHIP = 'max30102'
/** The datasheet gives no reset duration, only that RESET clears itself: poll it, 1 ms apart. */
const RESET_POLLS = 10
const RESET_POLL_MS = 1
/** INTERRUPT_STATUS_1 … FIFO_RD_PTR (0x00..0x06): status and pointers in one transaction. */
const POINTER_BLOCK_LENGTH = 7

/**
 * MAX30102 pulse oximeter and heart-rate sensor (drivers/sensors/max30102/README.md).
 *
 * sample() drains the FIFO (every sample since the previous call, up to 32), feeds them to the
 * window analysis and returns the current estimate. Call it more often than every
 * 32 / outputRateHz seconds (320 ms at the default 100 sps), or the chip drops samples and the
 * reading says 'fifo-overflow'. I/O failures reject with DriverError kind 'io' (cause: the HalError).
 */
export class Max30102 implements Sensor<Max30102Reading> {
  readonly #device: I2cDevice
  readonly #clock: Clock
  readonly #config: Max30102Config
  #estimator: PpgEstimator | undefined
  #redRaw: number | undefined
  #irRaw: number | undefined

  constructor(device: I2cDevice, clock: Clock, config: Max30102Config = DEFAULT_CONFIG) {
    this.#device = device
    this.#clock = clock
    this.#config = config
  }

  /** Checks the settings and the part id, resets the chip, configures it and starts sampling. */
  async init(): Promise<void> {
    this.#estimator = undefined
    const problems = configProblems(this.#config)
    if (problems.length > 0) throw new DriverError(CHIP, 'init', 'usage', problems.join('; '))
    await io(CHIP, 'init', async () => {
      const [, partId] = await readRegisters(this.#device, REG.REV_ID, 2)
      if (partId !== PART_ID) throw new DriverError(CHIP, 'init', 'identity', `PART_ID is 0x${hex(partId)}, not 0x${hex(PART_ID)}`)
      await this.#reset()
      await this.#configure()
    })
    const { mode, windowMs } = this.#config
    this.#estimator = new PpgEstimator({ sampleRateHz: outputRateHz(this.#config), windowMs, channels: mode === 'spo2' ? 'red-ir' : 'red' })
    this.#redRaw = undefined
    this.#irRaw = undefined
  }

  async sample(signal?: AbortSignal): Promise<Max30102Reading> {
    const estimator = this.#estimator
    if (estimator === undefined) throw new DriverError(CHIP, 'sample', 'usage', 'init() has not completed')
    signal?.throwIfAborted()
    const block = await io(CHIP, 'sample', () => readRegisters(this.#device, REG.INTERRUPT_STATUS_1, POINTER_BLOCK_LENGTH))
    const { available, lost } = fifoLevel(block)
    if (available > 0) await this.#drain(estimator, available)
    // With rollover off, the lost samples came after the ones just drained: the gap is here.
    if (lost > 0) estimator.reset()
    return buildReading({
      atMs: this.#clock.now(),
      estimate: estimator.estimate(),
      samplesRead: available,
      samplesLost: lost,
      redRaw: this.#redRaw,
      irRaw: this.#irRaw,
    })
  }

  /** Puts the chip in power-save mode (SHDN): LEDs off, registers kept. */
  async close(): Promise<void> {
    this.#estimator = undefined
    await io(CHIP, 'close', () => writeRegisters(this.#device, REG.MODE_CONFIG, SHUTDOWN_BYTE))
  }

  async #reset(): Promise<void> {
    await writeRegisters(this.#device, REG.MODE_CONFIG, RESET_BYTE)
    for (let poll = 0; poll < RESET_POLLS; poll++) {
      const [mode] = await readRegisters(this.#device, REG.MODE_CONFIG, 1)
      if ((mode! & BIT.RESET) === 0) return
      await this.#clock.sleep(RESET_POLL_MS)
    }
    throw new DriverError(CHIP, 'init', 'timeout', `RESET did not clear within ${RESET_POLLS} polls`)
  }

  /**
   * Configuration first, mode last: the datasheet asks for cleared FIFO pointers "upon entering
   * SpO2 mode or HR mode", so the pointers (and OVF_COUNTER) are zeroed just before MODE starts it.
   */
  async #configure(): Promise<void> {
    const config = this.#config
    const irLedCurrentMa = config.mode === 'spo2' ? config.irLedCurrentMa : 0
    await writeRegisters(this.#device, REG.FIFO_CONFIG, fifoConfigByte(config))
    await writeRegisters(this.#device, REG.SPO2_CONFIG, spo2ConfigByte(config))
    await writeRegisters(this.#device, REG.LED1_PA, ledPulseAmplitude(config.redLedCurrentMa), ledPulseAmplitude(irLedCurrentMa))
    await writeRegisters(this.#device, REG.FIFO_WR_PTR, 0, 0, 0)
    await writeRegisters(this.#device, REG.MODE_CONFIG, modeByte(config.mode))
  }

  /** One FIFO_DATA burst for all available samples: it can exceed 32 bytes, the HAL takes care of that. */
  async #drain(estimator: PpgEstimator, available: number): Promise<void> {
    const leds = ledCount(this.#config.mode)
    let bytes: Uint8Array
    try {
      bytes = await io(CHIP, 'sample', () => readRegisters(this.#device, REG.FIFO_DATA, available * leds * BYTES_PER_LED))
    } catch (error) {
      // The chip may have advanced FIFO_RD_PTR past samples we never got: the window has a gap.
      estimator.reset()
      throw error
    }
    const bits = resolutionBits(this.#config)
    const fullScale = 2 ** bits
    forEachSample(bytes, leds, bits, (red, ir) => {
      this.#redRaw = red
      if (leds === 2) this.#irRaw = ir
      estimator.push(red / fullScale, ir / fullScale)
    })
  }
}

const hex = (value: number | undefined): string => (value ?? 0).toString(16).padStart(2, '0')
