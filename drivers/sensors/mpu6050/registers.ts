/**
 * MPU-6050 registers, named as in the InvenSense register map RM-MPU-6000A-00 rev 4.2 (§3 table;
 * the section of each description is given).
 */

/** The chip id: descriptor, folder name, and the `chip` of every DriverError. */
export const CHIP = 'mpu6050'

export const REG = {
  /** §4.2 Register 25: Sample Rate = Gyroscope Output Rate / (1 + SMPLRT_DIV). */
  SMPLRT_DIV: 0x19,
  /** §4.3 Register 26: EXT_SYNC_SET[5:3], DLPF_CFG[2:0]. */
  CONFIG: 0x1a,
  /** §4.4 Register 27: FS_SEL[4:3]. */
  GYRO_CONFIG: 0x1b,
  /** §4.5 Register 28: AFS_SEL[4:3]. */
  ACCEL_CONFIG: 0x1c,
  /** §4.17 Registers 59..64, then §4.18 TEMP_OUT (65..66), §4.19 GYRO_*OUT (67..72): 14 bytes. */
  ACCEL_XOUT_H: 0x3b,
  /** §4.28 Register 107: DEVICE_RESET, SLEEP, CYCLE, TEMP_DIS, CLKSEL[2:0]. */
  PWR_MGMT_1: 0x6b,
  /** §4.32 Register 117: WHO_AM_I[6:1]. */
  WHO_AM_I: 0x75,
} as const

/** §4.32: WHO_AM_I reads 0x68 whatever the AD0 pin (the address LSB) is. */
export const WHO_AM_I_VALUE = 0x68

export const PWR_MGMT_1 = {
  /** §4.28: resets every register to its default; "automatically clears to 0 once the reset is done". */
  DEVICE_RESET: 0x80,
  /** §4.28: sleep mode; §3: register 107 resets to 0x40, so the chip sleeps after reset. */
  SLEEP: 0x40,
  /** §4.28 CLKSEL = 1, PLL with X axis gyroscope reference: "highly recommended … for improved stability". */
  CLKSEL_PLL_XGYRO: 0x01,
} as const

/** §4.4 FS_SEL and §4.5 AFS_SEL sit in bits 4:3. */
export const FULL_SCALE_SHIFT = 3

/** ACCEL_XOUT_H..GYRO_ZOUT_L: accel x, y, z, temperature, gyro x, y, z, each big-endian int16. */
export const MEASUREMENT_LENGTH = 14

/** Product Specification PS-MPU-6000A-00 §6.1: gyroscope start-up time (ZRO settling) 30 ms. */
export const GYRO_STARTUP_MS = 30
/**
 * The register map gives no duration for DEVICE_RESET, only that the bit clears itself when done
 * (§4.28): the driver polls it this often, and gives up after RESET_TIMEOUT_MS.
 */
export const RESET_POLL_MS = 10
export const RESET_TIMEOUT_MS = 200
