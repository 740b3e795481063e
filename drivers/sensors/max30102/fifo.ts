import { BIT, BYTES_PER_LED, FIFO_DATA_BITS, FIFO_DEPTH, POINTER_MASK } from './registers.ts'

/** What the pointer block (INTERRUPT_STATUS_1 … FIFO_RD_PTR, 0x00..0x06) says about the FIFO. */
export interface FifoLevel {
  /** Unread samples, 0..32. */
  readonly available: number
  /** Samples the chip dropped because the FIFO was full (OVF_COUNTER; 31 means "31 or more"). */
  readonly lost: number
}

/**
 * Unread samples from the 7-byte block read at INTERRUPT_STATUS_1: [status1, status2, enable1,
 * enable2, FIFO_WR_PTR, OVF_COUNTER, FIFO_RD_PTR].
 *
 * Datasheet "Reading from the FIFO": NUM_AVAILABLE_SAMPLES = FIFO_WR_PTR − FIFO_RD_PTR, "pointer
 * wrap around should be taken into account" (5-bit pointers, so modulo 32). Equal pointers mean
 * empty or full: the FIFO is full when samples were lost (OVF_COUNTER > 0) or when A_FULL is set
 * with FIFO_A_FULL = 0 (fifoConfigByte), which fires at 0 free slots.
 */
export function fifoLevel(block: Uint8Array): FifoLevel {
  if (block.length < 7) throw new RangeError(`fifoLevel: needs the 7 bytes 0x00..0x06, got ${block.length}`)
  const status1 = block[0]!
  const writePointer = block[4]! & POINTER_MASK
  const lost = block[5]! & POINTER_MASK
  const readPointer = block[6]! & POINTER_MASK
  const difference = (writePointer - readPointer) & POINTER_MASK
  const full = difference === 0 && (lost > 0 || (status1 & BIT.A_FULL) !== 0)
  return { available: full ? FIFO_DEPTH : difference, lost }
}

/**
 * One channel's value from its 3-byte triplet, in ADC counts at `resolutionBits` (15..18).
 *
 * Datasheet "FIFO Data Register": FIFO_DATA[17:0] is byte 1 bits 1:0, byte 2, byte 3 (MSB first);
 * FIFO_DATA[23:18] are not used. The data are left-justified: the MSB stays at bit 17 whatever the
 * resolution, and the unused low bits of a 15..17-bit result are zero, so shifting right by
 * 18 − resolution gives counts at that resolution.
 */
export function decodeTriplet(bytes: Uint8Array, offset: number, resolutionBits: number): number {
  const value18 = ((bytes[offset]! & 0x03) << 16) | (bytes[offset + 1]! << 8) | bytes[offset + 2]!
  return value18 >>> (FIFO_DATA_BITS - resolutionBits)
}

/**
 * Calls `onSample(red, ir)` for each sample in a FIFO_DATA burst, oldest first. In SpO2 mode a
 * sample is red then IR (LED1 then LED2); in heart-rate mode it is red only and `ir` is NaN.
 * Values are counts at `resolutionBits`. A callback instead of an array keeps the drain
 * allocation-free.
 */
export function forEachSample(
  bytes: Uint8Array,
  leds: 1 | 2,
  resolutionBits: number,
  onSample: (red: number, ir: number) => void,
): void {
  const stride = leds * BYTES_PER_LED
  if (bytes.length % stride !== 0) throw new RangeError(`FIFO burst of ${bytes.length} bytes is not whole ${stride}-byte samples`)
  for (let offset = 0; offset < bytes.length; offset += stride) {
    const red = decodeTriplet(bytes, offset, resolutionBits)
    const ir = leds === 2 ? decodeTriplet(bytes, offset + BYTES_PER_LED, resolutionBits) : Number.NaN
    onSample(red, ir)
  }
}
