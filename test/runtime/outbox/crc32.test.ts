import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import * as zlib from 'node:zlib'
import fc from 'fast-check'
import { crc32 } from '../../../runtime/outbox/crc32.ts'

/** zlib.crc32 exists from Node 20.15 on: an independent implementation to compare with, where present. */
const zlibCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32

describe('crc32', () => {
  it('gives the CRC-32/ISO-HDLC check value 0xCBF43926 for ASCII "123456789"', () => {
    assert.equal(crc32(Buffer.from('123456789', 'ascii')), 0xcbf43926)
  })

  it('gives 0 for no bytes, and known values for short inputs', () => {
    assert.equal(crc32(new Uint8Array(0)), 0)
    // "The quick brown fox jumps over the lazy dog": the classic zlib/PNG test vector.
    assert.equal(crc32(Buffer.from('The quick brown fox jumps over the lazy dog')), 0x414fa339)
    assert.equal(crc32(Uint8Array.of(0)), 0xd202ef8d)
  })

  it('covers only bytes [start, end)', () => {
    const bytes = Buffer.from('xx123456789yy')
    assert.equal(crc32(bytes, 2, 11), 0xcbf43926)
  })

  it('agrees with zlib.crc32 on random bytes', { skip: zlibCrc32 === undefined ? 'zlib.crc32 needs Node >= 20.15' : false }, () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), bytes => {
        assert.equal(crc32(bytes), zlibCrc32!(bytes))
      }),
    )
  })
})
