/** The chip id: descriptor, folder name, and the `chip` of every DriverError. */
export const CHIP = 'vl53l0x'

/**
 * VL53L0X register map. ST publishes no register map for this part: the names and addresses are
 * those of ST's API (STSW-IMG005, vl53l0x_device.h), as listed in Pololu's VL53L0X.h. Addresses
 * are on page 0 unless a comment says otherwise; register 0xFF selects the page.
 */
export const REG = {
  SYSRANGE_START: 0x00,
  SYSTEM_SEQUENCE_CONFIG: 0x01,
  SYSTEM_INTERRUPT_CONFIG_GPIO: 0x0a,
  SYSTEM_INTERRUPT_CLEAR: 0x0b,
  RESULT_INTERRUPT_STATUS: 0x13,
  /** 0x14..0x1F, the result block: see conversion.ts for its layout (range in mm at +10). */
  RESULT_RANGE_STATUS: 0x14,
  FINAL_RANGE_CONFIG_MIN_COUNT_RATE_RTN_LIMIT: 0x44,
  MSRC_CONFIG_TIMEOUT_MACROP: 0x46,
  PRE_RANGE_CONFIG_VCSEL_PERIOD: 0x50,
  PRE_RANGE_CONFIG_TIMEOUT_MACROP_HI: 0x51,
  MSRC_CONFIG_CONTROL: 0x60,
  FINAL_RANGE_CONFIG_VCSEL_PERIOD: 0x70,
  FINAL_RANGE_CONFIG_TIMEOUT_MACROP_HI: 0x71,
  POWER_MANAGEMENT_GO1_POWER_FORCE: 0x80,
  GPIO_HV_MUX_ACTIVE_HIGH: 0x84,
  /** "Set I2C standard mode" (API DataInit writes 0x00 here). */
  I2C_MODE: 0x88,
  VHV_CONFIG_PAD_SCL_SDA__EXTSUP_HV: 0x89,
  /** Page 1: the "stop variable" the API reads at DataInit and writes back before each measurement. */
  STOP_VARIABLE: 0x91,
  /** 0xB0..0xB5: the reference SPAD enable map, 48 bits. */
  GLOBAL_CONFIG_SPAD_ENABLES_REF_0: 0xb0,
  GLOBAL_CONFIG_REF_EN_START_SELECT: 0xb6,
  IDENTIFICATION_MODEL_ID: 0xc0,
  /** Selects the register page (0 normal; 1, 6, 7 are used by the API's private sequences). */
  PAGE_SELECT: 0xff,
} as const

/** Registers of page 7 used to read the SPAD information from NVM (API VL53L0X_get_info_from_device). */
export const NVM = {
  /** Page 6 and page 7: strobe / ready register of the NVM read. */
  STROBE: 0x83,
  /** Page 7: enables the NVM read path. */
  READ_ENABLE: 0x81,
  /** Page 7: the NVM address to read. */
  ADDRESS: 0x94,
  /** Page 7: NVM word 0x6B, byte 2: bit 7 = SPADs are of aperture type, bits 6:0 = reference SPAD count. */
  DATA_SPAD_INFO: 0x92,
  /** NVM address holding the reference SPAD count and type. */
  SPAD_INFO_ADDRESS: 0x6b,
  /** Page 6 reg 0x83 bit 2: set around the NVM read, cleared after it. */
  PAGE6_STROBE_ENABLE: 0x04,
} as const

/** Datasheet DocID029104 §3.2 "I2C interface - reference registers": 0xC0 reads 0xEE. */
export const MODEL_ID = 0xee

/** SYSRANGE_START values (API VL53L0X_REG_SYSRANGE_MODE_*). */
export const SYSRANGE = {
  /** Bit 0: start (single shot); reads back 1 until the device has taken the start. */
  START_STOP: 0x01,
  /** Added to START_STOP for the VHV calibration run (API VL53L0X_perform_vhv_calibration: 0x40). */
  VHV_INIT: 0x40,
} as const

/** SYSTEM_SEQUENCE_CONFIG values (API: bit 4 TCC, 3 DSS, 2 MSRC, 6 pre-range, 7 final range). */
export const SEQUENCE = {
  /** DataInit: every step enabled. */
  ALL: 0xff,
  /** StaticInit: "Disable MSRC and TCC by default" (DSS, pre-range, final range). */
  RANGING: 0xe8,
  /** PerformRefCalibration: only the VHV step, then only the phase step. */
  VHV_CALIBRATION: 0x01,
  PHASE_CALIBRATION: 0x02,
} as const

/** SYSTEM_INTERRUPT_CONFIG_GPIO: 0x04 = new sample ready (API VL53L0X_REG_SYSTEM_INTERRUPT_GPIO_NEW_SAMPLE_READY). */
export const INTERRUPT_NEW_SAMPLE_READY = 0x04
/** RESULT_INTERRUPT_STATUS bits 2:0 non-zero: an interrupt is pending (API VL53L0X_GetInterruptMaskStatus). */
export const INTERRUPT_PENDING_MASK = 0x07
/** SYSTEM_INTERRUPT_CLEAR: bit 0 clears the range interrupt (API VL53L0X_ClearInterruptMask). */
export const INTERRUPT_CLEAR = 0x01
/** GPIO_HV_MUX_ACTIVE_HIGH bit 4: cleared for an active-low GPIO1 (API VL53L0X_SetGpioConfig). */
export const GPIO_ACTIVE_HIGH_BIT = 0x10
/** VHV_CONFIG_PAD_SCL_SDA__EXTSUP_HV bit 0: I/O at 2.8 V instead of 1.8 V (API DataInit, USE_I2C_2V8). */
export const IO_2V8_BIT = 0x01
/** MSRC_CONFIG_CONTROL bits 1 and 4: disable the SIGNAL_RATE_MSRC and SIGNAL_RATE_PRE_RANGE limit checks (API DataInit). */
export const MSRC_DISABLE_LIMIT_CHECKS = 0x12

/**
 * Device range status, RESULT_RANGE_STATUS bits 6:3 (API VL53L0X_get_pal_range_status:
 * `(status & 0x78) >> 3`); names from vl53l0x_device.h VL53L0X_DEVICEERROR_*.
 */
export const RANGE_STATUS_MASK = 0x78
export const RANGE_STATUS_SHIFT = 3
export const DEVICE_STATUS = {
  NONE: 0,
  MSRC_NO_TARGET: 4,
  RANGE_COMPLETE: 11,
} as const
