/**
 * ADS1115 register map and fixed values. Source: Texas Instruments ADS111x datasheet (SBAS444):
 * "Address Pointer Register", "Config Register", "Lo_thresh and Hi_thresh Registers", "Full-Scale
 * Range (FSR) and LSB Size", "Data Format", "I2C Address Selection", "Single-Shot Mode" and the
 * electrical characteristics. Registers are 16 bits, sent MSB first.
 */

/** Address pointer register P[1:0]; bits 7:2 are reserved and written 0. */
export const POINTER = { CONVERSION: 0b00, CONFIG: 0b01, LO_THRESH: 0b10, HI_THRESH: 0b11 } as const

/** Config register fields. */
export const CONFIG = {
  /** Bit 15. Write 1: start a single conversion (from power-down). Read 0: converting; 1: idle. */
  OS: 1 << 15,
  /** Bits 14:12, input multiplexer. */
  MUX_SHIFT: 12,
  /** Bits 11:9, programmable gain amplifier (full-scale range). */
  PGA_SHIFT: 9,
  /** Bit 8: 1 = single-shot mode / power-down (the reset state), 0 = continuous. */
  MODE_SINGLE_SHOT: 1 << 8,
  /** Bits 7:5, data rate. */
  DR_SHIFT: 5,
  /** Bits 1:0 = 11: comparator disabled, ALERT/RDY high-impedance (the reset state). */
  COMP_QUE_DISABLE: 0b11,
  /**
   * Bits 14:0: the fields the part keeps as written and reads back unchanged; OS (bit 15) reads
   * back as the conversion status instead.
   */
  KEPT_MASK: 0x7fff,
} as const

/** MUX[2:0] for AINx against GND (single-ended): 100, 101, 110, 111 for AIN0..AIN3. */
export const MUX_SINGLE_ENDED = [0b100, 0b101, 0b110, 0b111] as const

/** Full-scale range ±V by PGA[2:0] code 000..101 (110 and 111 are ±0.256 V too). */
export const FULL_SCALE_RANGES_V = [6.144, 4.096, 2.048, 1.024, 0.512, 0.256] as const

/** Data rate in samples per second by DR[2:0] code 000..111. */
export const DATA_RATES_SPS = [8, 16, 32, 64, 128, 250, 475, 860] as const

/** Config register reset value: OS 1, AIN0-AIN1, ±2.048 V, single-shot, 128 SPS, comparator off. */
export const CONFIG_RESET = 0x8583

/** Output codes at the ends of the range (data format table): ≥ +FS·(2^15 − 1)/2^15 and ≤ −FS. */
export const CODE = { POSITIVE_FULL_SCALE: 0x7fff, NEGATIVE_FULL_SCALE: -0x8000 } as const

/** Data rate variation: ±10 % over all data rates (electrical characteristics). */
export const DATA_RATE_TOLERANCE = 0.1

/** 7-bit addresses by the ADDR pin: GND 0x48, VDD 0x49, SDA 0x4A, SCL 0x4B. */
export const ADDRESSES = [0x48, 0x49, 0x4a, 0x4b] as const

/**
 * Plausible single-ended input, V: absolute maximum analog input is GND − 0.3 V to VDD + 0.3 V,
 * with VDD at most 5.5 V in the recommended operating conditions.
 */
export const INPUT_RANGE_V = { min: -0.3, max: 5.8 } as const
