/**
 * The TF-Luna's UART protocol as data. Source: Benewake, "TF-Luna Product Manual" SJ-PM-TF-Luna
 * A05 ("A05" below); where a passage was only checked in the older A03 edition, it says so.
 * The line itself is 115200 baud, 8 data bits, no parity, 1 stop bit (A05 §6.2), and serial mode
 * needs pin 5 open or at 3.3 V; grounded, the part speaks I2C instead (A05 §6.1, Table 6).
 */

/**
 * The 9-byte/cm data frame, the default output format (A05 Appendix I.1): byte offsets. Both
 * 16-bit fields are little-endian (Dist_L before Dist_H). The checksum is the low byte of the sum
 * of bytes 0..7: the TF-Luna manual names the byte Check_sum without spelling the rule out for data
 * frames; the family's manuals do ("the lower 8 bits of the cumulative sum of the number of the
 * first 8 bytes", TF02-Pro-W manual Table 4), and it is §6.2's rule for command frames.
 */
export const DATA_FRAME = {
  HEADER: 0x59,
  BYTES: 9,
  DIST_L: 2,
  DIST_H: 3,
  AMP_L: 4,
  AMP_H: 5,
  TEMP_L: 6,
  TEMP_H: 7,
  CHECKSUM: 8,
} as const

/**
 * Signal strength (Amp) limits (A05 §6.4): "Distance value is unreliable when receiving signal is
 * overexposed (Amp = 0xFFFF) or too low (Amp < 100) … When Amp is above 32768, it indicates that
 * TF-Luna has detected an ambient light overexposure". Below the threshold the part also reports
 * Dist as dummy_dist, 0 by default (A05 §6.8).
 */
export const AMP = {
  MIN_RELIABLE: 100,
  AMBIENT_OVEREXPOSURE_ABOVE: 32768,
  OVEREXPOSED: 0xffff,
  MAX: 0xffff,
} as const

/** "Celsius temperature = Temp / 8 - 256" (A05 Appendix I.1). */
export const TEMPERATURE = { DIVISOR: 8, OFFSET_C: 256 } as const

/**
 * Operating range with a 90 % reflectivity target: 0.2–8 m; under 20 cm is the blind zone
 * (A05 §3.4). "Any distance value lower than 20cm or greater than 800cm may be unreliable" (A05 §6.9).
 */
export const RANGE_M = { MIN: 0.2, MAX: 8 } as const

/** Dist is in cm in the 9-byte/cm format (A05 Appendix I.1). */
export const CM_PER_M = 100

/**
 * Command frames, host → sensor ("downward"), and the sensor's replies ("upward"): Head 0x5A,
 * Len (the whole frame, head to checksum, 4..255), ID, payload, checksum = low byte of the sum
 * of all bytes before it (A05 §6.2). The sensor ignores a command's checksum unless checksum
 * comparison is enabled (A05 §6.2 note; ID_FRAME_CHECKSUM_EN), but always sends a valid one
 * (Appendix II.8 note); we always send valid ones too.
 */
export const COMMAND = { HEAD: 0x5a, MIN_BYTES: 4, MAX_BYTES: 255 } as const

/** Command IDs, named as in A05 Appendix II (item numbers in the comments). */
export const ID = {
  /** II.1. Reply payload: 3 bytes, patch, minor, major ("112, 50, 9 … version 9.50.112"). */
  GET_VERSION: 0x01,
  /** II.2. Reply payload: status, 0 = success. Unsaved settings are lost. */
  SOFT_RESET: 0x02,
  /** II.3. Payload: frame rate, uint16 little-endian, Hz; 0 selects trigger mode. Reply echoes it. */
  SAMPLE_FREQ: 0x03,
  /** II.4. No payload; the reply is one data frame. */
  SAMPLE_TRIG: 0x04,
  /** II.5. Payload: format, 0x01 = 9-byte/cm (default). */
  OUTPUT_FORMAT: 0x05,
  /** II.6. Payload: baud rate, uint32 little-endian. */
  BAUD_RATE: 0x06,
  /** II.7. Payload: 1 = output on (default), 0 = off. Reply echoes it. */
  OUTPUT_EN: 0x07,
  /** II.8. Payload: 1 = check command checksums, 0 = do not (default). Reply echoes it. */
  FRAME_CHECKSUM_EN: 0x08,
  /** II.10. */
  RESTORE_DEFAULT: 0x10,
  /**
   * II.11. No payload ("5A 04 11 00", A05 §6.2). The reply layout was not checked in the manual
   * (Appendix II.11 could not be read); we take it to carry a status byte like SOFT_RESET's.
   */
  SAVE_SETTINGS: 0x11,
} as const

/**
 * Frame rate, Hz (A05 Appendix II.3; A03 §5.5): default 100, at most 250; the part measures at
 * 500 Hz and averages, so a rate it uses is 500/n for an integer n in [2, 500]. 0 is trigger mode.
 */
export const FRAME_RATE_HZ = { MIN: 1, MAX: 250, DEFAULT: 100 } as const
