/**
 * CRC-32/ISO-HDLC, the CRC of zlib, PNG and Ethernet: reflected polynomial 0xEDB88320, initial
 * value and final XOR 0xFFFFFFFF; the check value of ASCII "123456789" is 0xCBF43926 (Greg Cook's
 * CRC catalogue, "CRC-32/ISO-HDLC"). Written here because `zlib.crc32` only exists from Node
 * 20.15 / 22.2 on, and package.json allows any Node 20.
 *
 * Table-driven, one byte per step: a record of ~100 bytes costs well under a microsecond.
 */
const TABLE = buildTable()

function buildTable(): Uint32Array {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let bit = 0; bit < 8; bit++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
}

/** The CRC of `bytes[start, end)`, as an unsigned 32-bit number. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffffffff
  for (let i = start; i < end; i++) crc = TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}
