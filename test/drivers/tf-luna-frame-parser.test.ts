import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { TfLunaFrameParser } from '../../drivers/sensors/tf-luna/frame-parser.ts'

/*
 * Frames assembled by hand from the TF-Luna manual's 9-byte/cm layout (SJ-PM-TF-Luna A05,
 * Appendix I.1: 0x59 0x59 Dist_L Dist_H Amp_L Amp_H Temp_L Temp_H Check_sum, checksum = low byte
 * of the sum of bytes 0..7). The manual prints no numeric data frame, so each checksum is worked
 * out here in the comment, not computed by any code.
 */
const FRAME_123_CM = Uint8Array.of(0x59, 0x59, 0x7b, 0x00, 0xe8, 0x03, 0x40, 0x09, 0x61)
// 89+89+123+0+232+3+64+9 = 609 = 2·256 + 97 → 0x61. Dist 123 cm, Amp 1000, Temp 2368.
const FRAME_WEAK = Uint8Array.of(0x59, 0x59, 0x00, 0x00, 0x32, 0x00, 0x60, 0x09, 0x4d)
// 89+89+0+0+50+0+96+9 = 333 = 256 + 77 → 0x4D. Dist 0 (dummy_dist, §6.8), Amp 50, Temp 2400.
const FRAME_OVEREXPOSED = Uint8Array.of(0x59, 0x59, 0x20, 0x03, 0xff, 0xff, 0x00, 0x08, 0xdb)
// 89+89+32+3+255+255+0+8 = 731 = 2·256 + 219 → 0xDB. Dist 800 cm, Amp 65535, Temp 2048.
const FRAME_90_CM = Uint8Array.of(0x59, 0x59, 0x5a, 0x00, 0x59, 0x01, 0x59, 0x09, 0xc8)
// 89+89+90+0+89+1+89+9 = 456 = 256 + 200 → 0xC8. Dist 90 cm (0x5A, a command head), Amp 345
// (0x0159) and Temp 2393 (0x0959): 0x59 inside the data must not start a new frame.

/** The version reply (A05 Appendix II.1) of a sensor at 9.50.112: 0x5A 0x07 0x01 112 50 9, checksum 90+7+1+112+50+9 = 269 → 0x0D. */
const VERSION_REPLY = Uint8Array.of(0x5a, 0x07, 0x01, 0x70, 0x32, 0x09, 0x0d)

type Frame = [distanceCm: number, signalStrength: number, temperatureRaw: number]

function parse(...chunks: Uint8Array[]): { frames: Frame[]; parser: TfLunaFrameParser } {
  const frames: Frame[] = []
  const parser = new TfLunaFrameParser((distanceCm, signalStrength, temperatureRaw) => frames.push([distanceCm, signalStrength, temperatureRaw]))
  for (const chunk of chunks) parser.push(chunk)
  return { frames, parser }
}

const concat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap(part => [...part]))

describe('TfLunaFrameParser', () => {
  it('reads Dist, Amp and Temp little-endian from the manual layout', () => {
    const { frames, parser } = parse(FRAME_123_CM, FRAME_WEAK, FRAME_OVEREXPOSED, FRAME_90_CM)
    assert.deepEqual(frames, [[123, 1000, 2368], [0, 50, 2400], [800, 65535, 2048], [90, 345, 2393]])
    assert.deepEqual({ failures: parser.checksumFailures, discarded: parser.bytesDiscarded, held: parser.bufferedBytes }, { failures: 0, discarded: 0, held: 0 })
  })

  it('finds the same frames wherever the stream is cut', () => {
    const stream = concat(FRAME_90_CM, FRAME_123_CM)
    for (let cut = 0; cut <= stream.length; cut++) {
      const { frames } = parse(stream.subarray(0, cut), stream.subarray(cut))
      assert.deepEqual(frames, [[90, 345, 2393], [123, 1000, 2368]], `cut at ${cut}`)
    }
    assert.deepEqual(parse(...[...stream].map(byte => Uint8Array.of(byte))).frames.length, 2, 'one byte per chunk')
  })

  it('finds every frame when several arrive in one chunk', () => {
    const { frames } = parse(concat(FRAME_123_CM, FRAME_123_CM, FRAME_WEAK, FRAME_123_CM))
    assert.equal(frames.length, 4)
  })

  it('skips garbage and command replies between frames and counts the bytes dropped', () => {
    const garbage = Uint8Array.of(0x00, 0xff, 0x59, 0x12, 0x34)
    const { frames, parser } = parse(concat(garbage, FRAME_123_CM, VERSION_REPLY, FRAME_90_CM))
    assert.deepEqual(frames, [[123, 1000, 2368], [90, 345, 2393]])
    assert.equal(parser.bytesDiscarded, garbage.length + VERSION_REPLY.length)
    assert.equal(parser.checksumFailures, 0)
  })

  it('counts a frame with a bad checksum and goes on with the next one', () => {
    const corrupted = Uint8Array.from(FRAME_123_CM)
    corrupted[8] = 0x62
    const { frames, parser } = parse(concat(corrupted, FRAME_WEAK))
    assert.deepEqual(frames, [[0, 50, 2400]])
    assert.equal(parser.checksumFailures, 1)
  })

  it('resynchronises on a frame that starts inside a truncated one', () => {
    const { frames, parser } = parse(concat(FRAME_123_CM.subarray(0, 5), FRAME_90_CM, FRAME_WEAK))
    assert.deepEqual(frames, [[90, 345, 2393], [0, 50, 2400]])
    assert.ok(parser.checksumFailures >= 1)
  })

  it('resynchronises when a stray 0x59 comes right before a frame', () => {
    const { frames } = parse(concat(Uint8Array.of(0x59), FRAME_123_CM))
    assert.deepEqual(frames, [[123, 1000, 2368]])
  })

  it('never holds more than one frame of bytes, and finds every frame in garbage however the stream is cut', () => {
    const noHeader = fc.integer({ min: 0, max: 255 }).filter(byte => byte !== 0x59)
    const field = fc.integer({ min: 0, max: 0xffff }).filter(value => (value & 0xff) !== 0x59 && value >> 8 !== 0x59)
    const frame = fc.tuple(field, field, field)
    const stream = fc.array(fc.tuple(fc.array(noHeader, { maxLength: 20 }), frame), { maxLength: 12 })
    fc.assert(
      fc.property(stream, fc.array(fc.integer({ min: 1, max: 16 }), { minLength: 1, maxLength: 8 }), (pieces, chunkSizes) => {
        const bytes = pieces.flatMap(([garbage, [distanceCm, amp, temperatureRaw]]) => [...garbage, ...encodeByHand(distanceCm, amp, temperatureRaw)])
        const frames: Frame[] = []
        const parser = new TfLunaFrameParser((d, a, t) => frames.push([d, a, t]))
        for (let offset = 0, i = 0; offset < bytes.length; i++) {
          const size = chunkSizes[i % chunkSizes.length]!
          parser.push(Uint8Array.from(bytes.slice(offset, offset + size)))
          offset += size
          assert.ok(parser.bufferedBytes <= 8, `holds ${parser.bufferedBytes} bytes`)
        }
        assert.deepEqual(frames, pieces.map(([, fields]) => fields))
        assert.equal(parser.checksumFailures, 0)
      }),
    )
  })
})

/** Appendix I.1 byte by byte (test-side; the parser does not share it). */
function encodeByHand(distanceCm: number, amp: number, temperatureRaw: number): number[] {
  const body = [0x59, 0x59, distanceCm % 256, Math.floor(distanceCm / 256), amp % 256, Math.floor(amp / 256), temperatureRaw % 256, Math.floor(temperatureRaw / 256)]
  return [...body, body.reduce((sum, byte) => sum + byte) % 256]
}
