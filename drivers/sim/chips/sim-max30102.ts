import type { Clock } from '../../hal/clock.ts'
import { RegisterChip } from '../register-chip.ts'
import { SimMax30102Fifo } from './sim-max30102-fifo.ts'
import { SyntheticPpg, type Patient, type SyntheticPpgOptions } from './sim-max30102-ppg.ts'

export type { Patient } from './sim-max30102-ppg.ts'

// Register addresses and codes as the datasheet gives them (Maxim 19-7740 Rev 1, register map),
// declared here on their own so the emulator does not share the driver's tables.
const R = { STATUS_1: 0x00, STATUS_2: 0x01, WR_PTR: 0x04, OVF: 0x05, RD_PTR: 0x06, DATA: 0x07, FIFO_CONFIG: 0x08, MODE: 0x09, SPO2: 0x0a, LED1: 0x0c, LED2: 0x0d, REV_ID: 0xfe, PART_ID: 0xff } as const
const SPS_BY_CODE = [50, 100, 200, 400, 800, 1000, 1600, 3200] // SPO2_SR[2:0]
const BITS_BY_CODE = [15, 16, 17, 18] // LED_PW[1:0] → ADC resolution
const FULL_SCALE_NA_BY_CODE = [2048, 4096, 8192, 16384] // SPO2_ADC_RGE[1:0]
const AVERAGE_BY_CODE = [1, 2, 4, 8, 16, 32, 32, 32] // SMP_AVE[2:0]
const MODE_HR = 0b010
const MODE_SPO2 = 0b011
const A_FULL = 0x80
const PPG_RDY = 0x40
const PWR_RDY = 0x01
const DEPTH = 32
/** The revision the emulator reports; real parts vary and the driver ignores it. */
const REVISION = 0x03

/**
 * A register-level MAX30102 (STYLE.md §2 "sims are equals"): the driver runs unchanged against it
 * on a SimI2cBus. The 32-sample FIFO fills at the configured rate as the clock advances; when the
 * FIFO registers are accessed, the samples due since the last access (from clock.now()) are made.
 * No timers. Full FIFO with FIFO_ROLLOVER_EN = 0: new samples are dropped and OVF_COUNTER counts
 * them; with rollover on, the oldest is overwritten (sim-max30102-fifo.ts). Reading
 * INTERRUPT_STATUS_1/2 clears them; reading FIFO_DATA clears A_FULL and PPG_RDY.
 * Multi-LED mode and the die temperature are not emulated.
 */
export class SimMax30102 extends RegisterChip {
  readonly #clock: Clock
  readonly #ppg: SyntheticPpg
  readonly #fifo = new SimMax30102Fifo()
  #status1 = PWR_RDY
  #startMs = 0
  #produced = 0

  constructor(clock: Clock, address = 0x57, options: SyntheticPpgOptions = {}) {
    super(address)
    this.#clock = clock
    this.#ppg = new SyntheticPpg(options)
    this.#powerOnReset()
  }

  /** The physical scenario: what finger (if any) is on the sensor from now on. */
  setPatient(patient: Patient): void {
    this.#catchUp()
    this.#ppg.setPatient(patient)
  }

  protected override nextPointer(register: number): number {
    return register === R.DATA ? R.DATA : (register + 1) & 0xff
  }

  protected override readRegister(register: number): number {
    if (register === R.STATUS_1 || (register >= R.WR_PTR && register <= R.DATA)) this.#catchUp()
    switch (register) {
      case R.STATUS_1: {
        const value = this.#status1
        this.#status1 = 0
        return value
      }
      case R.STATUS_2:
        return 0
      case R.WR_PTR:
        return this.#fifo.writePointer
      case R.OVF:
        return this.#fifo.overflow
      case R.RD_PTR:
        return this.#fifo.readPointer
      case R.DATA:
        this.#status1 &= ~(A_FULL | PPG_RDY)
        return this.#fifo.popByte(this.#leds() * 3)
      default:
        return this.registers[register]!
    }
  }

  protected override writeRegister(register: number, value: number): void {
    this.#catchUp()
    switch (register) {
      case R.WR_PTR:
        return this.#fifo.setPointers(value, this.#fifo.readPointer)
      case R.RD_PTR:
        return this.#fifo.setPointers(this.#fifo.writePointer, value)
      case R.OVF:
        return this.#fifo.setOverflow(value)
      case R.DATA:
      case R.REV_ID:
      case R.PART_ID:
        return
      case R.MODE:
        if ((value & 0x40) !== 0) return this.#powerOnReset() // RESET clears itself once done
        break
    }
    this.registers[register] = value
    // A new mode, rate or averaging starts a new sampling timeline now.
    if (register === R.MODE || register === R.SPO2 || register === R.FIFO_CONFIG) this.#restartTimeline()
  }

  #powerOnReset(): void {
    this.registers.fill(0)
    this.registers[R.REV_ID] = REVISION
    this.registers[R.PART_ID] = 0x15
    this.#fifo.clear()
    this.#status1 = PWR_RDY
    this.#restartTimeline()
  }

  #restartTimeline(): void {
    this.#startMs = this.#clock.now()
    this.#produced = 0
    this.#ppg.advanceTo(this.#startMs)
  }

  #mode(): number {
    const config = this.registers[R.MODE]!
    return (config & 0x80) !== 0 ? 0 : config & 0x07
  }

  #leds(): number {
    return this.#mode() === MODE_SPO2 ? 2 : 1
  }

  /** Makes every FIFO sample due between the last access and now. */
  #catchUp(): void {
    const mode = this.#mode()
    if (mode !== MODE_HR && mode !== MODE_SPO2) return
    const spo2 = this.registers[R.SPO2]!
    const fifoConfig = this.registers[R.FIFO_CONFIG]!
    const sps = SPS_BY_CODE[(spo2 >> 2) & 0x07]!
    const average = AVERAGE_BY_CODE[fifoConfig >> 5]!
    const rollover = (fifoConfig & 0x10) !== 0
    const due = Math.floor(((this.#clock.now() - this.#startMs) * sps) / (1000 * average) + 1e-9)
    while (this.#produced < due) {
      if (this.#fifo.full && !rollover) {
        this.#fifo.lose(due - this.#produced)
        this.#produced = due
        this.#ppg.advanceTo(this.#startMs + (due * 1000 * average) / sps)
        return
      }
      this.#produced++
      this.#push(this.#startMs + (this.#produced * 1000 * average) / sps, sps, average, rollover)
    }
  }

  /** One FIFO sample completing at `atMs`: the mean of `average` conversions 1/sps apart. */
  #push(atMs: number, sps: number, average: number, rollover: boolean): void {
    const redLedMa = this.registers[R.LED1]! * 0.2 // LEDx_PA: 0.2 mA per step
    const irLedMa = this.#leds() === 2 ? this.registers[R.LED2]! * 0.2 : 0
    let redNa = 0
    let irNa = 0
    for (let k = average - 1; k >= 0; k--) {
      const currents = this.#ppg.currentsNa(atMs - (k * 1000) / sps, redLedMa, irLedMa)
      redNa += currents.redNa / average
      irNa += currents.irNa / average
    }
    const slot = this.#fifo.slotAtWritePointer()
    this.#encode(redNa, slot, 0)
    if (this.#leds() === 2) this.#encode(irNa, slot, 3)
    this.#fifo.commit(rollover)
    this.#status1 |= PPG_RDY
    const freeSlotsForInterrupt = this.registers[R.FIFO_CONFIG]! & 0x0f // FIFO_A_FULL[3:0]
    if (DEPTH - this.#fifo.unread === freeSlotsForInterrupt) this.#status1 |= A_FULL
  }

  /** Photocurrent → 18-bit left-justified code in FIFO_DATA's 3 bytes (bits 23:18 zero; low bits zero below 18-bit resolution). */
  #encode(currentNa: number, slot: Uint8Array, offset: number): void {
    const spo2 = this.registers[R.SPO2]!
    const fullScaleNa = FULL_SCALE_NA_BY_CODE[(spo2 >> 5) & 0x03]!
    const bits = BITS_BY_CODE[spo2 & 0x03]!
    const code18 = Math.max(0, Math.min(2 ** 18 - 1, Math.floor((currentNa / fullScaleNa) * 2 ** 18)))
    const code = code18 - (code18 % 2 ** (18 - bits))
    slot[offset] = Math.floor(code / 65536)
    slot[offset + 1] = Math.floor(code / 256) % 256
    slot[offset + 2] = code % 256
  }
}
