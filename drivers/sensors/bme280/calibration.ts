/**
 * The trimming parameters a BME280 stores in NVM (datasheet 4.2.2, Table 16): little-endian words
 * at 0x88..0x9F, dig_H1 at 0xA1, and dig_H2..dig_H6 packed into 0xE1..0xE7.
 */
export interface Bme280Calibration {
  readonly t1: number
  readonly t2: number
  readonly t3: number
  readonly p1: number
  readonly p2: number
  readonly p3: number
  readonly p4: number
  readonly p5: number
  readonly p6: number
  readonly p7: number
  readonly p8: number
  readonly p9: number
  readonly h1: number
  readonly h2: number
  readonly h3: number
  readonly h4: number
  readonly h5: number
  readonly h6: number
}

/**
 * Parses the 26 bytes read from 0x88 and the 7 bytes read from 0xE1. DataView states width and
 * sign where each field is read (Table 16: unsigned/signed short, unsigned/signed char).
 */
export function parseCalibration(low: Uint8Array, high: Uint8Array): Bme280Calibration {
  if (low.length < 26 || high.length < 7) throw new RangeError(`calibration needs 26 + 7 bytes, got ${low.length} + ${high.length}`)
  const a = new DataView(low.buffer, low.byteOffset, low.byteLength)
  const b = new DataView(high.buffer, high.byteOffset, high.byteLength)
  return {
    t1: a.getUint16(0, true),
    t2: a.getInt16(2, true),
    t3: a.getInt16(4, true),
    p1: a.getUint16(6, true),
    p2: a.getInt16(8, true),
    p3: a.getInt16(10, true),
    p4: a.getInt16(12, true),
    p5: a.getInt16(14, true),
    p6: a.getInt16(16, true),
    p7: a.getInt16(18, true),
    p8: a.getInt16(20, true),
    p9: a.getInt16(22, true),
    h1: a.getUint8(25),
    h2: b.getInt16(0, true),
    h3: b.getUint8(2),
    // dig_H4 is 0xE4[7:0] / 0xE5[3:0] and dig_H5 is 0xE6[7:0] / 0xE5[7:4]: signed 12-bit values
    // whose sign is the top bit of 0xE4 / 0xE6 (Table 16).
    h4: b.getInt8(3) * 16 + (b.getUint8(4) & 0x0f),
    h5: b.getInt8(5) * 16 + (b.getUint8(4) >> 4),
    h6: b.getInt8(6),
  }
}

/**
 * NVM that reads as zero where a real part never is: dig_T1 and dig_P1 are unsigned scale
 * factors, and dig_P1 = 0 divides by zero in the pressure formula (4.2.3 guards it).
 */
export function isBlankCalibration(calibration: Bme280Calibration): boolean {
  return calibration.t1 === 0 || calibration.p1 === 0
}
