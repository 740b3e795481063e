/**
 * MAX30205 register map and fixed values. Source: Maxim (Analog Devices) MAX30205 datasheet,
 * 19-8505 rev 0: register functions (pointer 0x00..0x03, power-on values), configuration register
 * bits, temperature data format, I2C slave address table, electrical characteristics.
 *
 * The part is LM75-style: a pointer register selects one of four registers; the temperature,
 * THYST and TOS registers are 16 bits, MSB first; configuration is 8 bits. There is no id register.
 */
export const REG = {
  /** Temperature, read-only, 16-bit two's complement (pointer 0x00). */
  TEMPERATURE: 0x00,
  /** Configuration, 8-bit (pointer 0x01). */
  CONFIGURATION: 0x01,
  /** Hysteresis threshold, 16-bit (pointer 0x02). */
  THYST: 0x02,
  /** Overtemperature threshold, 16-bit (pointer 0x03). */
  TOS: 0x03,
} as const

/** Configuration register bits D0..D7. */
export const CONFIG = {
  /** D0: 1 = shutdown (conversions stop, supply current drops). */
  SHUTDOWN: 1 << 0,
  /** D1: 0 = OS comparator mode, 1 = interrupt mode. */
  INTERRUPT_MODE: 1 << 1,
  /** D2: OS output polarity, 0 = active low. */
  OS_POLARITY: 1 << 2,
  /** D4:D3: fault queue length (1, 2, 4, 6 faults). */
  FAULT_QUEUE: 0b11 << 3,
  /** D5: 1 = extended data format (the register reads temperature − 64 °C). */
  DATA_FORMAT: 1 << 5,
  /** D6: 1 = I2C bus timeout disabled; 0 = a held bus is released after ~50 ms. */
  TIMEOUT_DISABLE: 1 << 6,
  /** D7: 1 starts one conversion while in shutdown (one-shot). */
  ONE_SHOT: 1 << 7,
} as const

/** Temperature LSB: 2^-8 °C = 0.00390625 °C (temperature data format). */
export const LSB_C = 0.00390625
/** Extended format offset: the register holds T − 64 °C, moving its range up by 64 °C (temperature data format). */
export const EXTENDED_OFFSET_C = 64

/** Conversion time, ms: 44 typical, 50 max (electrical characteristics, t_CONV). */
export const CONVERSION_MS = 50

/** Accuracy/operating range, °C: 0..50 (general description; accuracy specified over it). */
export const OPERATING_RANGE_C = { min: 0, max: 50 } as const

/**
 * 7-bit addresses (slave address table): A2, A1, A0 each to GND, VDD, SCL or SDA give 32 addresses, the 8-bit
 * write addresses 0x80..0xBE, i.e. every 7-bit address 0x40..0x5F. All pins to GND is 0x48.
 */
export const ADDRESSES: readonly number[] = Array.from({ length: 32 }, (_, i) => 0x40 + i)
