import { RegisterChip } from '../register-chip.ts'

/**
 * A register-level Bosch BME280 (BST-BME280-DS002) for SimI2cBus: it answers the bytes the
 * datasheet says, so the real driver runs against it unchanged.
 *
 * Modelled: chip_id, soft reset, NVM trimming parameters, I2C writes as register/data pairs
 * (6.2.1), ctrl_hum latched by the next ctrl_meas write (5.4.3), forced mode (one measurement per
 * trigger, then sleep), config writes ignored in normal mode (5.4.6), skipped measurements
 * (0x80000 / 0x8000), the output resolution of 3.4.2/3.4.3 (16 + osrs - 1 bits with the filter
 * off, 20 bits with it on) and the IIR filter of 3.4.4. Measurements complete at once (status
 * never shows "measuring"); normal mode measures once when entered and does not refresh.
 *
 * The physical setter inverts the datasheet's double-precision formulas (8.1) here, on their
 * own terms; nothing is imported from the driver, so the two cannot agree by sharing a mistake.
 */

/** Trimming parameters as the datasheet names them (4.2.2, Table 16). */
export interface SimBme280Calibration {
  readonly digT1: number; readonly digT2: number; readonly digT3: number
  readonly digP1: number; readonly digP2: number; readonly digP3: number
  readonly digP4: number; readonly digP5: number; readonly digP6: number
  readonly digP7: number; readonly digP8: number; readonly digP9: number
  readonly digH1: number; readonly digH2: number; readonly digH3: number
  readonly digH4: number; readonly digH5: number; readonly digH6: number
}

/**
 * T and P: the BMP280 datasheet's worked example (3.12), whose formulas the BME280 shares.
 * H: Bosch publishes no example; these are values of a real part's order of magnitude, the set
 * behind a published Zephyr capture (see test/drivers/bme280-compensation.test.ts).
 */
export const SIM_BME280_CALIBRATION: SimBme280Calibration = {
  digT1: 27504, digT2: 26435, digT3: -1000,
  digP1: 36477, digP2: -10685, digP3: 3024, digP4: 2855, digP5: 140, digP6: -7, digP7: 15500, digP8: -14600, digP9: 6000,
  digH1: 75, digH2: 362, digH3: 0, digH4: 308, digH5: 50, digH6: 30,
}

export interface SimBme280Options {
  /** What 0xD0 answers: 0x60 for a BME280 (default), 0x58 to pose as a BMP280. */
  readonly chipId?: number
  readonly calibration?: SimBme280Calibration
}

export interface SimBme280Environment {
  readonly temperatureC: number
  readonly pressurePa: number
  readonly humidityPct: number
}

/** Raw ADC words: 20-bit temperature and pressure, 16-bit humidity. */
export interface SimBme280RawAdc {
  readonly temperature: number
  readonly pressure: number
  readonly humidity: number
}

/** Registers and values (5.3, 5.4). */
const R = { ID: 0xd0, RESET: 0xe0, CTRL_HUM: 0xf2, STATUS: 0xf3, CTRL_MEAS: 0xf4, CONFIG: 0xf5, DATA: 0xf7 } as const
const SOFT_RESET = 0xb6
/** Skipped measurement outputs (5.4.3, 5.4.5). */
const SKIPPED_20 = 0x80000
const SKIPPED_16 = 0x8000
const MAX_20 = 0xfffff
const MAX_16 = 0xffff

export class SimBme280 extends RegisterChip {
  readonly #calibration: SimBme280Calibration
  #environment: SimBme280Environment = { temperatureC: 22, pressurePa: 101_325, humidityPct: 45 }
  #raw: SimBme280RawAdc | undefined
  /** osrs_h as latched by the last ctrl_meas write (5.4.3). */
  #latchedOsrsH = 0
  /** IIR filter memory of temperature and pressure; undefined until the first filtered value (3.4.4). */
  #filter: { temperature?: number; pressure?: number } = {}

  constructor(address = 0x76, options: SimBme280Options = {}) {
    super(address)
    this.#calibration = options.calibration ?? SIM_BME280_CALIBRATION
    this.registers[R.ID] = options.chipId ?? 0x60
    storeCalibration(this.registers, this.#calibration)
    this.#reset()
  }

  /** The air around the chip; the next measurement reports it at the configured resolution. */
  setEnvironment(environment: SimBme280Environment): void {
    for (const [name, value] of Object.entries(environment)) {
      if (!Number.isFinite(value)) throw new RangeError(`SimBme280.setEnvironment: ${name} must be a finite number, got ${String(value)}`)
    }
    this.#environment = { ...environment }
    this.#raw = undefined
  }

  /** The ADC words the next measurements produce, bit for bit, until setEnvironment() is called. */
  setRawAdc(raw: SimBme280RawAdc): void {
    checkWord('temperature', raw.temperature, MAX_20)
    checkWord('pressure', raw.pressure, MAX_20)
    checkWord('humidity', raw.humidity, MAX_16)
    this.#raw = { ...raw }
  }

  /** I2C writes are register/data pairs, not an auto-incrementing block (6.2.1). */
  override onWrite(bytes: Uint8Array): void {
    if (bytes.length <= 2) return super.onWrite(bytes)
    for (let i = 0; i < bytes.length; i += 2) super.onWrite(bytes.subarray(i, i + 2))
  }

  protected override writeRegister(register: number, value: number): void {
    if (register === R.RESET) {
      if (value === SOFT_RESET) this.#reset()
    } else if (register === R.CTRL_HUM) {
      this.registers[register] = value & 0x07
    } else if (register === R.CTRL_MEAS) {
      this.#ctrlMeas(value)
    } else if (register === R.CONFIG) {
      // "Writes to the config register in normal mode may be ignored" (5.4.6); writing it resets the filter (3.4.4).
      if ((this.registers[R.CTRL_MEAS]! & 0b11) === 0b11) return
      this.registers[register] = value
      this.#filter = {}
    }
    // Everything else (id, status, trimming, data) is read-only.
  }

  #ctrlMeas(value: number): void {
    this.registers[R.CTRL_MEAS] = value
    this.#latchedOsrsH = this.registers[R.CTRL_HUM]!
    const mode = value & 0b11
    if (mode === 0b00) return
    this.#measure()
    // Forced mode (01 or 10) returns to sleep once the measurement is done (3.3.2).
    if (mode !== 0b11) this.registers[R.CTRL_MEAS] = value & ~0b11
  }

  #measure(): void {
    const osrsT = (this.registers[R.CTRL_MEAS]! >> 5) & 0x07
    const osrsP = (this.registers[R.CTRL_MEAS]! >> 2) & 0x07
    const filterCode = (this.registers[R.CONFIG]! >> 2) & 0x07
    const words = this.#raw ?? this.#physicalWords(osrsT, osrsP, filterCode)
    const temperature = osrsT === 0 ? SKIPPED_20 : this.#filtered('temperature', words.temperature, filterCode)
    const pressure = osrsP === 0 ? SKIPPED_20 : this.#filtered('pressure', words.pressure, filterCode)
    const humidity = this.#latchedOsrsH === 0 ? SKIPPED_16 : words.humidity
    this.#storeData(temperature, pressure, humidity)
  }

  /** The inverse of 8.1 for the current environment, at the resolution 3.4.2/3.4.3 give. */
  #physicalWords(osrsT: number, osrsP: number, filterCode: number): SimBme280RawAdc {
    const c = this.#calibration
    const { temperatureC, pressurePa, humidityPct } = this.#environment
    const temperature = quantise(adcTemperatureFor(temperatureC, c), osrsT, filterCode)
    // The driver derives t_fine from the word it reads, so the pressure and humidity words are
    // made for that t_fine, not for the exact temperature.
    const tFine = tFineOf(temperature, c)
    return {
      temperature,
      pressure: quantise(adcPressureFor(pressurePa, tFine, c), osrsP, filterCode),
      humidity: clamp(Math.round(adcHumidityFor(humidityPct, tFine, c)), MAX_16),
    }
  }

  /** 3.4.4: x_filt = (x_filt_old · (c - 1) + x_ADC) / c; the first value after a reset initialises it. */
  #filtered(channel: 'temperature' | 'pressure', word: number, filterCode: number): number {
    if (filterCode === 0) return word
    const coefficient = 2 ** Math.min(filterCode, 4)
    const old = this.#filter[channel]
    const next = old === undefined ? word : Math.round((old * (coefficient - 1) + word) / coefficient)
    this.#filter[channel] = next
    return next
  }

  #storeData(temperature: number, pressure: number, humidity: number): void {
    const r = this.registers
    const put20 = (at: number, word: number): void => {
      r[at] = word >> 12
      r[at + 1] = (word >> 4) & 0xff
      r[at + 2] = (word & 0x0f) << 4
    }
    put20(R.DATA, pressure)
    put20(R.DATA + 3, temperature)
    r[R.DATA + 6] = humidity >> 8
    r[R.DATA + 7] = humidity & 0xff
  }

  /** Power-on state (5.3): control registers 0x00, data registers at their skipped values. */
  #reset(): void {
    this.registers[R.RESET] = 0x00
    this.registers[R.CTRL_HUM] = 0x00
    this.registers[R.STATUS] = 0x00
    this.registers[R.CTRL_MEAS] = 0x00
    this.registers[R.CONFIG] = 0x00
    this.#latchedOsrsH = 0
    this.#filter = {}
    this.#storeData(SKIPPED_20, SKIPPED_20, SKIPPED_16)
  }
}

/** Writes the trimming parameters where Table 16 puts them (little-endian, dig_H4/H5 sharing 0xE5). */
function storeCalibration(r: Uint8Array, c: SimBme280Calibration): void {
  const words = [c.digT1, c.digT2, c.digT3, c.digP1, c.digP2, c.digP3, c.digP4, c.digP5, c.digP6, c.digP7, c.digP8, c.digP9]
  words.forEach((word, i) => {
    r[0x88 + 2 * i] = word & 0xff
    r[0x89 + 2 * i] = (word >> 8) & 0xff
  })
  r[0xa1] = c.digH1
  r[0xe1] = c.digH2 & 0xff
  r[0xe2] = (c.digH2 >> 8) & 0xff
  r[0xe3] = c.digH3
  r[0xe4] = (c.digH4 >> 4) & 0xff
  r[0xe5] = ((c.digH5 & 0x0f) << 4) | (c.digH4 & 0x0f)
  r[0xe6] = (c.digH5 >> 4) & 0xff
  r[0xe7] = c.digH6 & 0xff
}

/**
 * 8.1's temperature formula in one variable: with x = adc_T/131072 - dig_T1/8192 the two terms
 * are var1 = 8·dig_T2·x and var2 = dig_T3·x², and t_fine = var1 + var2 = 5120·T.
 */
function tFineOf(adcT: number, c: SimBme280Calibration): number {
  const x = adcT / 131072 - c.digT1 / 8192
  return 8 * c.digT2 * x + c.digT3 * x * x
}

/** Solves dig_T3·x² + 8·dig_T2·x - 5120·T = 0 for x, then x back to adc_T. */
function adcTemperatureFor(temperatureC: number, c: SimBme280Calibration): number {
  const x = rootNearLinear(c.digT3, 8 * c.digT2, -5120 * temperatureC)
  return (x + c.digT1 / 8192) * 131072
}

/**
 * 8.1's pressure formula is p = q + (dig_P9·q²/2^31 + dig_P8·q/2^15 + dig_P7)/16 with
 * q = (2^20 - adc_P - offset/4096)·6250/scale, where offset and scale depend on t_fine only.
 * Solve the quadratic for q, then q back to adc_P.
 */
function adcPressureFor(pressurePa: number, tFine: number, c: SimBme280Calibration): number {
  const t = tFine / 2 - 64000
  const offset = ((t * t * c.digP6) / 32768 + t * c.digP5 * 2) / 4 + c.digP4 * 65536
  const scale = (1 + ((c.digP3 * t * t) / 524288 + c.digP2 * t) / 524288 / 32768) * c.digP1
  const q = rootNearLinear(c.digP9 / 2 ** 35, 1 + c.digP8 / 2 ** 19, c.digP7 / 16 - pressurePa)
  return 2 ** 20 - offset / 4096 - (q * scale) / 6250
}

/**
 * 8.1's humidity formula is h = y·(1 - dig_H1·y/2^19) with y = (adc_H - offset)·gain, offset and
 * gain depending on t_fine only. Solve for the smaller root y, then y back to adc_H.
 */
function adcHumidityFor(humidityPct: number, tFine: number, c: SimBme280Calibration): number {
  const t = tFine - 76800
  const gain = (c.digH2 / 65536) * (1 + (c.digH6 / 67108864) * t * (1 + (c.digH3 / 67108864) * t))
  const offset = c.digH4 * 64 + (c.digH5 / 16384) * t
  const y = rootNearLinear(-c.digH1 / 2 ** 19, 1, -humidityPct)
  return y / gain + offset
}

/** The root of a·x² + b·x + c = 0 near -c/b (the one a small a barely moves), computed stably. */
function rootNearLinear(a: number, b: number, c: number): number {
  if (a === 0) return -c / b
  const discriminant = b * b - 4 * a * c
  if (discriminant < 0) throw new RangeError('SimBme280: no ADC word gives that value with this calibration')
  const q = -(b + Math.sign(b) * Math.sqrt(discriminant)) / 2
  return c / q
}

/** Rounds an ideal 20-bit word to the output resolution: 20 bits with the filter on, else 16 + (osrs - 1). */
function quantise(word: number, osrsCode: number, filterCode: number): number {
  const bits = filterCode !== 0 ? 20 : 15 + Math.min(Math.max(osrsCode, 1), 5)
  const step = 2 ** (20 - bits)
  return clamp(Math.round(word / step) * step, MAX_20)
}

function clamp(word: number, max: number): number {
  return Math.min(max, Math.max(0, word))
}

function checkWord(name: string, word: number, max: number): void {
  if (!Number.isInteger(word) || word < 0 || word > max) throw new RangeError(`SimBme280.setRawAdc: ${name} must be an integer 0..0x${max.toString(16)}, got ${word}`)
}
