import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { OUTBOX_CLASSES, type OutboxEntry } from '../../../runtime/outbox/entry.ts'
import { decodeRecord, encodeAck, encodeData, encodeSegmentStart, HEADER_BYTES } from '../../../runtime/outbox/record.ts'
import { scanSegment } from '../../../runtime/outbox/scan.ts'

/** Strings without lone surrogates: the payload is JSON text, stored as UTF-8 (a lone surrogate would become U+FFFD). */
const text = (maxLength: number) => fc.string({ unit: 'grapheme', maxLength })

const entryArbitrary: fc.Arbitrary<OutboxEntry> = fc.record({
  id: fc.maxSafeInteger().filter(id => id >= 0),
  cls: fc.constantFrom(...OUTBOX_CLASSES),
  topic: text(40),
  payload: text(400),
  retain: fc.boolean(),
  appendedAtWallMs: fc.double({ noNaN: true }),
}, { noNullPrototype: true })

function encode(entry: OutboxEntry): Buffer {
  return encodeData(entry.id, entry.cls, entry.topic, entry.payload, entry.retain, entry.appendedAtWallMs)
}

describe('outbox records', () => {
  it('round-trips data, ack and segment-start records', () => {
    fc.assert(
      fc.property(entryArbitrary, fc.maxSafeInteger().filter(id => id >= 0), (entry, id) => {
        const data = encode(entry)
        assert.deepEqual(decodeRecord(data, 0), { ok: true, record: { kind: 'data', entry }, bytes: data.length })
        assert.deepEqual(decodeRecord(encodeAck(id), 0), { ok: true, record: { kind: 'ack', id }, bytes: HEADER_BYTES + 8 })
        assert.deepEqual(decodeRecord(encodeSegmentStart(id), 0), { ok: true, record: { kind: 'segment', nextId: id }, bytes: HEADER_BYTES + 8 })
      }),
    )
  })

  it('decodes a record at any offset inside a larger buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 50 }), entryArbitrary, (before, entry) => {
        const data = encode(entry)
        const decoded = decodeRecord(Buffer.concat([before, data, Uint8Array.of(1, 2, 3)]), before.length)
        assert.ok(decoded.ok)
        assert.deepEqual(decoded.record, { kind: 'data', entry })
      }),
    )
  })

  it('rejects every single flipped bit, and every cut short record', () => {
    fc.assert(
      fc.property(entryArbitrary, fc.nat(), fc.integer({ min: 0, max: 7 }), (entry, at, bit) => {
        const data = encode(entry)
        const flipped = Buffer.from(data)
        flipped[at % data.length]! ^= 1 << bit
        assert.equal(decodeRecord(flipped, 0).ok, false)
        assert.deepEqual(decodeRecord(data.subarray(0, at % data.length), 0), { ok: false, why: 'short' })
      }),
    )
  })

  it('refuses a topic longer than 65535 bytes and an id that is not a safe integer', () => {
    assert.throws(() => encodeData(1, 'state', 'x'.repeat(65_536), '{}', false, 0), RangeError)
    assert.throws(() => encodeData(-1, 'state', 't', '{}', false, 0), RangeError)
    assert.throws(() => encodeAck(2 ** 53), RangeError)
  })

  it('scans a segment back into its records, resynchronising after garbage in the middle', () => {
    const first = encode({ id: 1, cls: 'alarm', topic: 'a', payload: '{"x":1}', retain: false, appendedAtWallMs: 5 })
    const second = encodeAck(1)
    const garbage = Buffer.from([0xe1, 0, 0, 0, 0, 1, 8, 0, 0, 0, 9, 9])
    const scan = scanSegment(Buffer.concat([first, garbage, second]))
    assert.deepEqual(scan.records.map(each => each.record.kind), ['data', 'ack'])
    assert.deepEqual(scan.corrupt, [{ offset: first.length, bytes: garbage.length, why: 'crc' }])
    assert.equal(scan.tailBytes, 0)
    const torn = scanSegment(Buffer.concat([first, second.subarray(0, 5)]))
    assert.deepEqual([torn.records.length, torn.tailBytes, torn.validBytes], [1, 5, first.length])
  })
})
