import type { Clock } from '../../hal/clock.ts'
import { readRegisters, writeRegisters, type I2cDevice } from '../../hal/i2c.ts'
import { DriverError, io, type Reading, type Sensor } from '../sensor.ts'
import { ACCEL_FS_SEL, convertMotion, GYRO_FS_SEL, parseMotion, type Motion } from './conversion.ts'
import {
  CHIP, FULL_SCALE_SHIFT, GYRO_STARTUP_MS, MEASUREMENT_LENGTH, PWR_MGMT_1, REG, RESET_POLL_MS, RESET_TIMEOUT_MS, WHO_AM_I_VALUE,
} from './registers.ts'
import { resolveMpu6050Settings, type Mpu6050Settings } from './settings.ts'

/**
 * One MPU-6050 measurement: acceleration along each axis in m/s² (1 g = 9.80665 m/s²; at rest and
 * flat, z reads about +1 g), angular rate about each axis in °/s, and the die temperature in °C.
 */
export interface Mpu6050Reading extends Reading, Motion {}

/**
 * InvenSense MPU-6050 accelerometer + gyroscope, read as raw registers (no DMP, no FIFO).
 *
 * Contract: the constructor does no I/O. init() checks WHO_AM_I (DriverError 'identity'), resets
 * the chip, waits on the Clock for the reset to clear (DriverError 'timeout' after 200 ms), wakes
 * it on the gyro PLL, applies the settings and waits the 30 ms gyro start-up. sample() is one
 * 14-byte burst read, so every axis comes from the same sampling instant (register map §4.17).
 * A clipped axis or an implausible temperature resolves with quality 'fault', 'out-of-range'. I/O
 * failures reject with DriverError 'io' whose cause is the HalError. close() puts the chip to sleep.
 */
export class Mpu6050 implements Sensor<Mpu6050Reading> {
  readonly #device: I2cDevice
  readonly #clock: Clock
  readonly #settings: Mpu6050Settings
  #ready = false

  constructor(device: I2cDevice, clock: Clock, settings: Partial<Mpu6050Settings> = {}) {
    this.#device = device
    this.#clock = clock
    this.#settings = resolveMpu6050Settings(settings)
  }

  async init(): Promise<void> {
    this.#ready = false
    const [whoAmI] = await this.#io('init', () => readRegisters(this.#device, REG.WHO_AM_I, 1))
    if (whoAmI !== WHO_AM_I_VALUE) {
      throw new DriverError(CHIP, 'init', 'identity', `WHO_AM_I 0x${whoAmI?.toString(16)} is not 0x${WHO_AM_I_VALUE.toString(16)}`)
    }
    await this.#io('init', () => writeRegisters(this.#device, REG.PWR_MGMT_1, PWR_MGMT_1.DEVICE_RESET))
    await this.#waitForReset()
    // Waking (SLEEP = 0) and choosing the clock are one write: after reset the chip sleeps (§3).
    await this.#io('init', () => writeRegisters(this.#device, REG.PWR_MGMT_1, PWR_MGMT_1.CLKSEL_PLL_XGYRO))
    // SMPLRT_DIV, CONFIG, GYRO_CONFIG and ACCEL_CONFIG are registers 25..28: one auto-incrementing write.
    const { sampleRateDivider, dlpfConfig, gyroFullScaleDps, accelFullScaleG } = this.#settings
    await this.#io('init', () => writeRegisters(this.#device, REG.SMPLRT_DIV, sampleRateDivider, dlpfConfig,
      GYRO_FS_SEL[gyroFullScaleDps] << FULL_SCALE_SHIFT, ACCEL_FS_SEL[accelFullScaleG] << FULL_SCALE_SHIFT))
    await this.#clock.sleep(GYRO_STARTUP_MS)
    this.#ready = true
  }

  async sample(): Promise<Mpu6050Reading> {
    if (!this.#ready) throw new DriverError(CHIP, 'sample', 'usage', 'init() has not completed')
    const bytes = await this.#io('sample', () => readRegisters(this.#device, REG.ACCEL_XOUT_H, MEASUREMENT_LENGTH))
    const atMs = this.#clock.now()
    const motion = convertMotion(parseMotion(bytes), this.#settings.accelFullScaleG, this.#settings.gyroFullScaleDps)
    return Object.freeze({ atMs, ...motion })
  }

  /** §4.28 SLEEP: the lowest-power state that keeps the registers. */
  async close(): Promise<void> {
    this.#ready = false
    await this.#io('close', () => writeRegisters(this.#device, REG.PWR_MGMT_1, PWR_MGMT_1.SLEEP))
  }

  async #waitForReset(): Promise<void> {
    const startMs = this.#clock.now()
    for (;;) {
      await this.#clock.sleep(RESET_POLL_MS)
      const [power] = await this.#io('init', () => readRegisters(this.#device, REG.PWR_MGMT_1, 1))
      if ((power! & PWR_MGMT_1.DEVICE_RESET) === 0) return
      if (this.#clock.now() - startMs >= RESET_TIMEOUT_MS) {
        throw new DriverError(CHIP, 'init', 'timeout', `DEVICE_RESET did not clear within ${RESET_TIMEOUT_MS} ms`)
      }
    }
  }

  #io<T>(operation: string, work: () => Promise<T>): Promise<T> {
    return io(CHIP, operation, work)
  }
}
