import { crc32 } from './crc32.ts'
import { OUTBOX_CLASSES, type OutboxClass, type OutboxEntry } from './entry.ts'

/**
 * One record of a segment file (README.md, "On-disk format"). Pure: bytes in, bytes out.
 *
 * Header, 10 bytes, little-endian:
 *   0     u8   magic and format version (0xE1: "edgert outbox, version 1")
 *   1..4  u32  CRC-32/ISO-HDLC of bytes 5..end (kind, length and body: a flipped kind or length
 *              is caught too, not only a flipped body byte)
 *   5     u8   kind: 1 data, 2 ack, 3 segment start
 *   6..9  u32  body length in bytes
 * Bodies:
 *   data           id (u32 low, u32 high), class u8 (0 alarm, 1 state, 2 telemetry),
 *                  flags u8 (bit 0 retain), appendedAtWallMs f64, topic length u16,
 *                  topic UTF-8, payload UTF-8 (the rest of the body)
 *   ack            id (u32 low, u32 high): that data record was acknowledged by the broker
 *   segment start  nextId (u32 low, u32 high): the id counter when the segment was created
 */
export const RECORD_MAGIC = 0xe1
export const HEADER_BYTES = 10
/** Fixed part of a data body: id 8, class 1, flags 1, wall time 8, topic length 2. */
export const DATA_FIXED_BYTES = 20
export const ID_RECORD_BYTES = HEADER_BYTES + 8
export const MAX_TOPIC_BYTES = 0xffff
/** A sanity bound when reading: no record of ours is this large (appends are bounded far below it). */
export const MAX_BODY_BYTES = 64 * 1024 * 1024

const KIND_DATA = 1
const KIND_ACK = 2
const KIND_SEGMENT = 3
const FLAG_RETAIN = 1
/** Ids are integers below 2^53 (a Number holds them exactly), stored as two u32 words. */
const WORD = 2 ** 32

export type LogRecord =
  | { readonly kind: 'data'; readonly entry: OutboxEntry }
  | { readonly kind: 'ack'; readonly id: number }
  | { readonly kind: 'segment'; readonly nextId: number }

/** Why bytes at an offset are not a record: too few bytes left, wrong magic, CRC mismatch, or a body that does not parse. */
export type DecodeFailure = 'short' | 'magic' | 'crc' | 'body'

export type Decoded =
  | { readonly ok: true; readonly record: LogRecord; readonly bytes: number }
  | { readonly ok: false; readonly why: DecodeFailure }

/** The whole data record for one message (one buffer: this is the only allocation of an append). */
export function encodeData(id: number, cls: OutboxClass, topic: string, payload: string, retain: boolean, appendedAtWallMs: number): Buffer {
  const topicBytes = Buffer.byteLength(topic, 'utf8')
  if (topicBytes > MAX_TOPIC_BYTES) throw new RangeError(`topic is ${topicBytes} bytes; at most ${MAX_TOPIC_BYTES} fit`)
  const bodyBytes = DATA_FIXED_BYTES + topicBytes + Buffer.byteLength(payload, 'utf8')
  const record = startRecord(KIND_DATA, bodyBytes)
  writeId(record, HEADER_BYTES, id)
  record.writeUInt8(OUTBOX_CLASSES.indexOf(cls), HEADER_BYTES + 8)
  record.writeUInt8(retain ? FLAG_RETAIN : 0, HEADER_BYTES + 9)
  record.writeDoubleLE(appendedAtWallMs, HEADER_BYTES + 10)
  record.writeUInt16LE(topicBytes, HEADER_BYTES + 18)
  record.write(topic, HEADER_BYTES + DATA_FIXED_BYTES, 'utf8')
  record.write(payload, HEADER_BYTES + DATA_FIXED_BYTES + topicBytes, 'utf8')
  return sealRecord(record)
}

export function encodeAck(id: number): Buffer {
  return encodeIdRecord(KIND_ACK, id)
}

export function encodeSegmentStart(nextId: number): Buffer {
  return encodeIdRecord(KIND_SEGMENT, nextId)
}

/** Reads the record that starts at `offset`, checking magic, length and CRC before the body. */
export function decodeRecord(bytes: Buffer, offset: number): Decoded {
  if (bytes.length - offset < HEADER_BYTES) return { ok: false, why: 'short' }
  if (bytes[offset] !== RECORD_MAGIC) return { ok: false, why: 'magic' }
  const bodyBytes = bytes.readUInt32LE(offset + 6)
  if (bodyBytes > MAX_BODY_BYTES) return { ok: false, why: 'body' }
  const end = offset + HEADER_BYTES + bodyBytes
  if (end > bytes.length) return { ok: false, why: 'short' }
  if (crc32(bytes, offset + 5, end) !== bytes.readUInt32LE(offset + 1)) return { ok: false, why: 'crc' }
  const record = decodeBody(bytes, bytes[offset + 5]!, offset + HEADER_BYTES, bodyBytes)
  return record === undefined ? { ok: false, why: 'body' } : { ok: true, record, bytes: HEADER_BYTES + bodyBytes }
}

function decodeBody(bytes: Buffer, kind: number, at: number, bodyBytes: number): LogRecord | undefined {
  if (kind === KIND_ACK || kind === KIND_SEGMENT) {
    if (bodyBytes !== 8) return undefined
    const id = readId(bytes, at)
    return kind === KIND_ACK ? { kind: 'ack', id } : { kind: 'segment', nextId: id }
  }
  if (kind !== KIND_DATA || bodyBytes < DATA_FIXED_BYTES) return undefined
  const cls = OUTBOX_CLASSES[bytes.readUInt8(at + 8)]
  const flags = bytes.readUInt8(at + 9)
  const topicBytes = bytes.readUInt16LE(at + 18)
  if (cls === undefined || (flags & ~FLAG_RETAIN) !== 0 || DATA_FIXED_BYTES + topicBytes > bodyBytes) return undefined
  const topicAt = at + DATA_FIXED_BYTES
  return {
    kind: 'data',
    entry: {
      id: readId(bytes, at),
      cls,
      topic: bytes.toString('utf8', topicAt, topicAt + topicBytes),
      payload: bytes.toString('utf8', topicAt + topicBytes, at + bodyBytes),
      retain: (flags & FLAG_RETAIN) !== 0,
      appendedAtWallMs: bytes.readDoubleLE(at + 10),
    },
  }
}

function encodeIdRecord(kind: number, id: number): Buffer {
  const record = startRecord(kind, 8)
  writeId(record, HEADER_BYTES, id)
  return sealRecord(record)
}

function startRecord(kind: number, bodyBytes: number): Buffer {
  const record = Buffer.allocUnsafe(HEADER_BYTES + bodyBytes)
  record.writeUInt8(RECORD_MAGIC, 0)
  record.writeUInt8(kind, 5)
  record.writeUInt32LE(bodyBytes, 6)
  return record
}

function sealRecord(record: Buffer): Buffer {
  record.writeUInt32LE(crc32(record, 5, record.length), 1)
  return record
}

function writeId(bytes: Buffer, at: number, id: number): void {
  if (!Number.isSafeInteger(id) || id < 0) throw new RangeError(`id ${id} is not a non-negative safe integer`)
  bytes.writeUInt32LE(id % WORD, at)
  bytes.writeUInt32LE(Math.floor(id / WORD), at + 4)
}

function readId(bytes: Buffer, at: number): number {
  return bytes.readUInt32LE(at) + bytes.readUInt32LE(at + 4) * WORD
}
