import type { Clock } from '../../hal/clock.ts'
import type { I2cDevice } from '../../hal/i2c.ts'
import { AsyncLock } from '../../hal/lock.ts'
import { DriverError, io, type Sensor } from '../sensor.ts'
import { codeFromBytes, configKept, configWord, conversionWaitMs, isFullScale, voltageFromCode } from './conversion.ts'
import { ads1115Reading, type Ads1115Reading } from './reading.ts'
import { CONFIG, POINTER } from './registers.ts'
import { DEFAULT_ADS1115_SETTINGS, type Ads1115Channel, type Ads1115Settings } from './settings.ts'

const CHIP = 'ads1115'
/** After the data sheet's time is up, poll OS this often, this many times. */
const POLL_MS = 1
const POLL_LIMIT = 10

/**
 * TI ADS1115, 16-bit ADC, four single-ended inputs converted one after the other in single-shot
 * mode: the part powers down after each conversion.
 *
 * Contract: the constructor does no I/O. init() writes the config register and reads it back:
 * the part has no id register, so a device that does not keep bits 14:0 is rejected with
 * DriverError 'identity'. sample() checks the same thing on every OS poll of every conversion
 * (the config reads it already makes, so no extra bus traffic) and rejects with 'identity' too,
 * the message naming both words: reads stuck at FFh (SDA held high by the pull-ups while something
 * still ACKs) would otherwise look idle and give code FFFFh, −1 LSB, a plausible 0 V. sample()
 * before init() rejects with 'usage'; bus failures with 'io' (cause: the HalError); a conversion
 * whose OS bit never returns to 1 with 'timeout'. A channel at a full-scale code makes the reading
 * quality 'fault', fault 'out-of-range'. Calls are serialised.
 */
export class Ads1115 implements Sensor<Ads1115Reading> {
  readonly #device: I2cDevice
  readonly #clock: Clock
  readonly #settings: Ads1115Settings
  readonly #lock = new AsyncLock()
  #ready = false

  constructor(device: I2cDevice, clock: Clock, settings: Ads1115Settings = DEFAULT_ADS1115_SETTINGS) {
    this.#device = device
    this.#clock = clock
    this.#settings = settings
  }

  init(): Promise<void> {
    return this.#lock.run(() => this.#init())
  }

  sample(signal?: AbortSignal): Promise<Ads1115Reading> {
    return this.#lock.run(() => this.#sample(signal))
  }

  /** Single-shot mode already powers the part down after every conversion. */
  close(): Promise<void> {
    return this.#lock.run(async () => {
      this.#ready = false
    })
  }

  async #init(): Promise<void> {
    const word = configWord(this.#settings.channels[0]!, this.#settings, false)
    await this.#writeRegister('init', POINTER.CONFIG, word)
    const readBack = await this.#readRegister('init', POINTER.CONFIG)
    if (!configKept(word, readBack)) {
      throw new DriverError(CHIP, 'init', 'identity', `config reads 0x${hex(readBack)} after writing 0x${hex(word)}: not an ADS1115?`)
    }
    this.#ready = true
  }

  async #sample(signal: AbortSignal | undefined): Promise<Ads1115Reading> {
    if (!this.#ready) throw new DriverError(CHIP, 'sample', 'usage', 'init() has not completed')
    const voltages = new Map<Ads1115Channel, number>()
    let anyFullScale = false
    for (const channel of this.#settings.channels) {
      const code = await this.#convert(channel, signal)
      anyFullScale ||= isFullScale(code)
      voltages.set(channel, voltageFromCode(code, this.#settings.fullScaleRangeV))
    }
    return ads1115Reading(voltages, anyFullScale, this.#clock.now())
  }

  /**
   * One single-shot conversion: start it, wait 1/DR (+10 %), poll OS until idle, read the code.
   * The conversion register has no check of its own (every code is a possible input), so it is
   * trusted only after a config read that holds what was written.
   */
  async #convert(channel: Ads1115Channel, signal: AbortSignal | undefined): Promise<number> {
    const word = configWord(channel, this.#settings, true)
    await this.#writeRegister('sample', POINTER.CONFIG, word)
    await this.#clock.sleep(conversionWaitMs(this.#settings.dataRateSps), signal)
    await this.#waitUntilIdle(channel, word, signal)
    return codeFromBytes(await io(CHIP, 'sample', () => this.#device.writeRead(Uint8Array.of(POINTER.CONVERSION), 2)))
  }

  /**
   * Polls OS until it reads 1 (not converting); the data-rate time has already been waited. Each
   * read must also hold bits 14:0 of `written`: FFFFh has OS = 1 and would pass for idle.
   */
  async #waitUntilIdle(channel: Ads1115Channel, written: number, signal: AbortSignal | undefined): Promise<void> {
    for (let poll = 0; poll <= POLL_LIMIT; poll++) {
      if (poll > 0) await this.#clock.sleep(POLL_MS, signal)
      const readBack = await this.#readRegister('sample', POINTER.CONFIG)
      if (!configKept(written, readBack)) {
        throw new DriverError(CHIP, 'sample', 'identity', `AIN${channel}: config read back 0x${hex(readBack)} after writing 0x${hex(written)} (bits 14:0 differ): reads stuck at FFh, a reset part, or another device answering`)
      }
      if ((readBack & CONFIG.OS) !== 0) return
    }
    throw new DriverError(CHIP, 'sample', 'timeout', `AIN${channel}: conversion still running ${POLL_LIMIT * POLL_MS} ms after its data rate allows`)
  }

  #writeRegister(operation: string, pointer: number, word: number): Promise<void> {
    return io(CHIP, operation, () => this.#device.write(Uint8Array.of(pointer, word >> 8, word & 0xff)))
  }

  async #readRegister(operation: string, pointer: number): Promise<number> {
    const bytes = await io(CHIP, operation, () => this.#device.writeRead(Uint8Array.of(pointer), 2))
    return ((bytes[0] ?? 0) << 8) | (bytes[1] ?? 0)
  }
}

const hex = (word: number): string => word.toString(16).padStart(4, '0')
