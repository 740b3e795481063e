import { EXTENDED_OFFSET_C, LSB_C } from './registers.ts'

/**
 * MAX30205 temperature data format: a 16-bit two's complement word, MSB first, LSB 0.00390625 °C;
 * 0x0000 is 0 °C in the normal format and 64 °C in the extended format. Pure.
 */
export function temperatureFromBytes(bytes: Uint8Array, extendedFormat: boolean): number {
  if (bytes.length < 2) throw new RangeError(`a MAX30205 temperature is 2 bytes, got ${bytes.length}`)
  const word = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getInt16(0, false)
  return temperatureFromWord(word, extendedFormat)
}

/** A signed 16-bit register value to °C. */
export function temperatureFromWord(word: number, extendedFormat: boolean): number {
  return word * LSB_C + (extendedFormat ? EXTENDED_OFFSET_C : 0)
}
