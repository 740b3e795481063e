import type { Clock } from '../../hal/clock.ts'
import { RegisterChip } from '../register-chip.ts'

/** Register numbers from the register map RM-MPU-6000A-00 rev 4.2 §3 (written here, not taken from the driver). */
const GYRO_CONFIG = 27
const ACCEL_CONFIG = 28
const ACCEL_XOUT_H = 59
const GYRO_ZOUT_L = 72
const PWR_MGMT_1 = 107
const WHO_AM_I = 117

/** §3: "The reset value is 0x00 for all registers other than … Register 107: 0x40. Register 117: 0x68." */
const RESET_VALUES: ReadonlyMap<number, number> = new Map([[PWR_MGMT_1, 0x40], [WHO_AM_I, 0x68]])
const DEVICE_RESET = 0x80
const SLEEP = 0x40

/** Sensitivity by AFS_SEL (§4.17: LSB/g) and FS_SEL (§4.19: LSB/(°/s)), indexed by the 2-bit field. */
const LSB_PER_G = [16384, 8192, 4096, 2048] as const
const LSB_PER_DPS = [131, 65.5, 32.8, 16.4] as const
/** m/s² per g: standard gravity. */
const G_MPS2 = 9.80665

type Vector = readonly [number, number, number]

export interface SimMpu6050Motion {
  readonly accelMps2?: Vector
  readonly gyroDps?: Vector
  readonly temperatureC?: number
}

export interface SimMpu6050Options {
  /** 0x68 (AD0 low, the default) or 0x69. */
  readonly address?: number
  /** With a clock, DEVICE_RESET stays set for `resetMs` of its time; without, it clears at once. */
  readonly clock?: Clock
  readonly resetMs?: number
}

/**
 * A register-level MPU-6050. It resets to the values of register map §3, so it sleeps until
 * PWR_MGMT_1.SLEEP is cleared. DEVICE_RESET restores them, and the bit then reads 1 until the
 * reset is done. While awake, ACCEL_XOUT_H..GYRO_ZOUT_L hold the physical state that
 * setMotion() gives, turned into big-endian signed words. The emulator does that with the
 * sensitivities of §4.17 / §4.19 for the full scales configured then, and with §4.18 solved for
 * TEMP_OUT. Values beyond full scale clip at the int16 limits. While asleep the words keep what
 * they last held. The FIFO, the interrupts, the DMP and the auxiliary bus are not modelled.
 */
export class SimMpu6050 extends RegisterChip {
  readonly #clock: Clock | undefined
  readonly #resetMs: number
  #resetUntilMs = -Infinity
  #accelMps2: Vector = [0, 0, G_MPS2]
  #gyroDps: Vector = [0, 0, 0]
  #temperatureC = 25

  constructor(options: SimMpu6050Options = {}) {
    super(options.address ?? 0x68)
    this.#clock = options.clock
    this.#resetMs = options.resetMs ?? 0
    this.#reset()
  }

  /** The motion and temperature the part experiences; fields left out keep their value. At rest, flat: z = +1 g. */
  setMotion(motion: SimMpu6050Motion): void {
    const finite = (values: readonly number[], what: string): void => {
      if (!values.every(Number.isFinite)) throw new RangeError(`${what} must be finite numbers, got ${values.join(', ')}`)
    }
    if (motion.accelMps2 !== undefined) finite(motion.accelMps2, 'accelMps2')
    if (motion.gyroDps !== undefined) finite(motion.gyroDps, 'gyroDps')
    if (motion.temperatureC !== undefined) finite([motion.temperatureC], 'temperatureC')
    this.#accelMps2 = motion.accelMps2 ?? this.#accelMps2
    this.#gyroDps = motion.gyroDps ?? this.#gyroDps
    this.#temperatureC = motion.temperatureC ?? this.#temperatureC
    this.#refresh()
  }

  protected override writeRegister(register: number, value: number): void {
    if (register === WHO_AM_I || (register >= ACCEL_XOUT_H && register <= GYRO_ZOUT_L)) return // read-only
    if (register === PWR_MGMT_1 && (value & DEVICE_RESET) !== 0) {
      this.#reset()
      this.#resetUntilMs = (this.#clock?.now() ?? 0) + this.#resetMs
      return
    }
    this.registers[register] = value
    if (register === PWR_MGMT_1 || register === GYRO_CONFIG || register === ACCEL_CONFIG) this.#refresh()
  }

  protected override readRegister(register: number): number {
    const resetting = this.#clock !== undefined && this.#clock.now() < this.#resetUntilMs
    if (register === PWR_MGMT_1 && resetting) return this.registers[register]! | DEVICE_RESET
    return this.registers[register]!
  }

  #reset(): void {
    this.registers.fill(0)
    for (const [register, value] of RESET_VALUES) this.registers[register] = value
  }

  #refresh(): void {
    if ((this.registers[PWR_MGMT_1]! & SLEEP) !== 0) return
    const lsbPerG = LSB_PER_G[(this.registers[ACCEL_CONFIG]! >> 3) & 0x03]!
    const lsbPerDps = LSB_PER_DPS[(this.registers[GYRO_CONFIG]! >> 3) & 0x03]!
    const words = [
      ...this.#accelMps2.map(mps2 => (mps2 / G_MPS2) * lsbPerG),
      (this.#temperatureC - 36.53) * 340,
      ...this.#gyroDps.map(dps => dps * lsbPerDps),
    ]
    const out = new DataView(this.registers.buffer, this.registers.byteOffset + ACCEL_XOUT_H, 14)
    words.forEach((word, index) => out.setInt16(index * 2, Math.max(-32768, Math.min(32767, Math.round(word)))))
  }
}
