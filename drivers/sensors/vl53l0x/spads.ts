/**
 * Reference SPAD selection, pure (ST API VL53L0X_set_reference_spads, "assume NVM values are
 * valid", as in Pololu begin()): keep the first `count` SPADs that the factory map enables,
 * starting at SPAD 12 when they are of aperture type, and clear every other bit.
 */

/** API: "12 is the first aperture spad". */
const FIRST_APERTURE_SPAD = 12
/** GLOBAL_CONFIG_SPAD_ENABLES_REF_0..5: 48 SPADs, bit i % 8 of byte i / 8. */
export const SPAD_MAP_BYTES = 6

/** NVM byte from page 7 reg 0x92: bit 7 aperture type, bits 6:0 reference SPAD count. */
export function parseSpadInfo(byte: number): { count: number; aperture: boolean } {
  return { count: byte & 0x7f, aperture: (byte & 0x80) !== 0 }
}

export function selectReferenceSpads(factoryMap: Uint8Array, count: number, aperture: boolean): Uint8Array {
  if (factoryMap.length !== SPAD_MAP_BYTES) throw new RangeError(`SPAD map needs ${SPAD_MAP_BYTES} bytes, got ${factoryMap.length}`)
  const map = Uint8Array.from(factoryMap)
  const first = aperture ? FIRST_APERTURE_SPAD : 0
  let enabled = 0
  for (let spad = 0; spad < SPAD_MAP_BYTES * 8; spad++) {
    const byte = spad >> 3
    const bit = 1 << (spad & 7)
    if (spad < first || enabled === count) map[byte] = map[byte]! & ~bit
    else if ((map[byte]! & bit) !== 0) enabled++
  }
  return map
}
