import { decodeRecord, HEADER_BYTES, RECORD_MAGIC, type DecodeFailure, type LogRecord } from './record.ts'

export interface ScannedRecord {
  readonly offset: number
  readonly bytes: number
  readonly record: LogRecord
}

/** A stretch of bytes that is not a record, followed by a valid record. */
export interface CorruptRegion {
  readonly offset: number
  readonly bytes: number
  readonly why: DecodeFailure
}

export interface SegmentScan {
  /** Every valid record, in file order. */
  readonly records: readonly ScannedRecord[]
  /** Regions skipped in the middle of the file (each is counted as one corrupt record). */
  readonly corrupt: readonly CorruptRegion[]
  /** Bytes at the end that hold no valid record: a torn (partly written) or corrupt tail. 0 when the file ends on a record boundary. */
  readonly tailBytes: number
  /** Where the tail begins: the length the file should be cut to. */
  readonly validBytes: number
}

/**
 * Reads a whole segment file's bytes. After a failure at offset p, it resynchronises at the first
 * later offset where a complete record with a matching CRC starts (a flipped length byte makes
 * the length useless, so it does not trust it). If no valid record follows, the rest is the tail.
 * A false match needs the magic byte, a plausible length and a 32-bit CRC to agree by chance.
 */
export function scanSegment(bytes: Buffer): SegmentScan {
  const records: ScannedRecord[] = []
  const corrupt: CorruptRegion[] = []
  let offset = 0
  while (offset < bytes.length) {
    const decoded = decodeRecord(bytes, offset)
    if (decoded.ok) {
      records.push({ offset, bytes: decoded.bytes, record: decoded.record })
      offset += decoded.bytes
      continue
    }
    const next = nextRecordStart(bytes, offset + 1)
    if (next === -1) return { records, corrupt, tailBytes: bytes.length - offset, validBytes: offset }
    corrupt.push({ offset, bytes: next - offset, why: decoded.why })
    offset = next
  }
  return { records, corrupt, tailBytes: 0, validBytes: bytes.length }
}

function nextRecordStart(bytes: Buffer, from: number): number {
  for (let at = bytes.indexOf(RECORD_MAGIC, from); at !== -1 && at <= bytes.length - HEADER_BYTES; at = bytes.indexOf(RECORD_MAGIC, at + 1)) {
    if (decodeRecord(bytes, at).ok) return at
  }
  return -1
}
