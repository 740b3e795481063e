/**
 * BME280 register map and fixed values. Sources: Bosch BST-BME280-DS002 (rev 1.6): memory map 5.3,
 * register descriptions 5.4, trimming parameters 4.2.2 (Table 16), I2C address 6.2.
 */
export const REG = {
  /** 0x88..0xA1 (calib00..calib25): dig_T1..dig_P9, a reserved byte at 0xA0, dig_H1 at 0xA1 (4.2.2). */
  CALIB_00: 0x88,
  /** chip_id (5.4.1). */
  ID: 0xd0,
  /** reset: write 0xB6 for a power-on reset; reads 0x00 (5.4.2). */
  RESET: 0xe0,
  /** 0xE1..0xE7 (calib26..calib32): dig_H2..dig_H6 (4.2.2). */
  CALIB_26: 0xe1,
  /** osrs_h[2:0]; takes effect only after the next write to ctrl_meas (5.4.3). */
  CTRL_HUM: 0xf2,
  /** measuring[3], im_update[0] (5.4.4). */
  STATUS: 0xf3,
  /** osrs_t[7:5], osrs_p[4:2], mode[1:0] (5.4.5). */
  CTRL_MEAS: 0xf4,
  /** t_sb[7:5], filter[4:2], spi3w_en[0] (5.4.6). */
  CONFIG: 0xf5,
  /** 0xF7..0xFE: press[19:0], temp[19:0], hum[15:0], read in one burst (4, 5.4.7..5.4.9). */
  PRESS_MSB: 0xf7,
} as const

/** Bytes read from CALIB_00 (0x88..0xA1) and CALIB_26 (0xE1..0xE7), and the data burst (0xF7..0xFE). */
export const LENGTH = { CALIB_00: 26, CALIB_26: 7, DATA: 8 } as const

/** chip_id of a BME280 (5.4.1). */
export const CHIP_ID = 0x60
/** chip_id of a BMP280, the same footprint without humidity (BMP280 datasheet 4.3.1). */
export const BMP280_CHIP_ID = 0x58
/** Value written to reset for a soft reset (5.4.2). */
export const SOFT_RESET = 0xb6

/** status bits (5.4.4). */
export const STATUS = {
  /** Set while a conversion runs; cleared when the results are in the data registers. */
  MEASURING: 1 << 3,
  /** Set while NVM data are copied to the image registers (after reset). */
  IM_UPDATE: 1 << 0,
} as const

/** mode[1:0] of ctrl_meas (5.4.5): 01 and 10 are both forced mode. */
export const MODE = { SLEEP: 0b00, FORCED: 0b01, NORMAL: 0b11 } as const

/** osrs_h / osrs_t / osrs_p codes by oversampling factor (5.4.3, 5.4.5); code 000 skips the measurement. */
export const OVERSAMPLING_CODE = { 1: 0b001, 2: 0b010, 4: 0b011, 8: 0b100, 16: 0b101 } as const

/** filter[2:0] codes of config by IIR filter coefficient (5.4.6, 3.4.4 Table 6). */
export const FILTER_CODE = { off: 0b000, 2: 0b001, 4: 0b010, 8: 0b011, 16: 0b100 } as const

/** Field positions in ctrl_meas and config (5.4.5, 5.4.6). */
export const SHIFT = { OSRS_T: 5, OSRS_P: 2, FILTER: 2 } as const

/** Start-up time: first communication 2 ms after power-on; a soft reset runs the same sequence (1, Specification). */
export const STARTUP_MS = 2

/**
 * Operating range (1, Specification): -40..85 °C, 300..1100 hPa, 0..100 %RH. A compensated value outside
 * it is reported with quality 'fault'.
 */
export const OPERATING_RANGE = {
  temperatureC: { min: -40, max: 85 },
  pressurePa: { min: 30_000, max: 110_000 },
  humidityPct: { min: 0, max: 100 },
} as const

/** 7-bit addresses: SDO to GND 0x76, SDO to VDDIO 0x77 (6.2). */
export const ADDRESSES = [0x76, 0x77] as const
