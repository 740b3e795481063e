import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { decodeTriplet, fifoLevel, forEachSample } from '../../drivers/sensors/max30102/fifo.ts'

// Vectors worked by hand from the MAX30102 datasheet (19-7740 Rev 1), "FIFO Data Register":
// each channel is a triplet, byte 1 = FIFO_DATA[23:16] of which [23:18] are not used,
// byte 2 = [15:8], byte 3 = [7:0]; the data are left-justified, so at 15..17-bit resolution the
// MSB stays at bit 17 and the low 18 − N bits are unused (zero).

describe('MAX30102 FIFO_DATA triplets', () => {
  it('takes FIFO_DATA[17:16] from bits 1:0 of the first byte and ignores bits 23:18', () => {
    assert.equal(decodeTriplet(Uint8Array.of(0x01, 0x23, 0x45), 0, 18), 0x12345)
    assert.equal(decodeTriplet(Uint8Array.of(0xfd, 0x23, 0x45), 0, 18), 0x12345)
    assert.equal(decodeTriplet(Uint8Array.of(0xff, 0xff, 0xff), 0, 18), 2 ** 18 - 1)
  })

  it('gives counts at the configured resolution by dropping the unused low bits of left-justified data', () => {
    // Full scale at each resolution: FIFO_DATA[17] down to FIFO_DATA[18 − N] all ones.
    assert.equal(decodeTriplet(Uint8Array.of(0x03, 0xff, 0xfe), 0, 17), 2 ** 17 - 1)
    assert.equal(decodeTriplet(Uint8Array.of(0x03, 0xff, 0xfc), 0, 16), 2 ** 16 - 1)
    assert.equal(decodeTriplet(Uint8Array.of(0x03, 0xff, 0xf8), 0, 15), 2 ** 15 - 1)
    // Half scale (only FIFO_DATA[17] set) is half of every resolution's range.
    for (const bits of [15, 16, 17, 18]) assert.equal(decodeTriplet(Uint8Array.of(0x02, 0x00, 0x00), 0, bits), 2 ** (bits - 1))
    // The least significant used bit at 15 bits is FIFO_DATA[3].
    assert.equal(decodeTriplet(Uint8Array.of(0x00, 0x00, 0x08), 0, 15), 1)
  })

  it('reads SpO2-mode samples as red then IR, oldest sample first', () => {
    const burst = Uint8Array.of(0x00, 0x00, 0x01, 0x00, 0x00, 0x02, 0x00, 0x00, 0x03, 0x00, 0x00, 0x04)
    const samples: [number, number][] = []
    forEachSample(burst, 2, 18, (red, ir) => samples.push([red, ir]))
    assert.deepEqual(samples, [[1, 2], [3, 4]])
  })

  it('reads heart-rate-mode samples as one red triplet each, with no IR value', () => {
    const samples: [number, number][] = []
    forEachSample(Uint8Array.of(0x00, 0x01, 0x00, 0x00, 0x02, 0x00), 1, 18, (red, ir) => samples.push([red, ir]))
    assert.deepEqual(samples.map(([red]) => red), [256, 512])
    assert.ok(samples.every(([, ir]) => Number.isNaN(ir)))
  })

  it('refuses a burst that is not a whole number of samples', () => {
    assert.throws(() => forEachSample(new Uint8Array(7), 2, 18, () => undefined), RangeError)
  })
})

describe('MAX30102 FIFO pointers', () => {
  // [INTERRUPT_STATUS_1, INTERRUPT_STATUS_2, ENABLE_1, ENABLE_2, FIFO_WR_PTR, OVF_COUNTER, FIFO_RD_PTR]
  const block = (writePointer: number, overflow: number, readPointer: number, status1 = 0): Uint8Array =>
    Uint8Array.of(status1, 0, 0, 0, writePointer, overflow, readPointer)

  it('counts the samples between the read and the write pointer', () => {
    assert.deepEqual(fifoLevel(block(5, 0, 2)), { available: 3, lost: 0 })
  })

  it('takes the 5-bit pointers modulo 32 when the write pointer has wrapped past zero', () => {
    // Datasheet: NUM_AVAILABLE_SAMPLES = FIFO_WR_PTR − FIFO_RD_PTR, "pointer wrap around should be taken into account".
    assert.deepEqual(fifoLevel(block(2, 0, 30)), { available: 4, lost: 0 })
    assert.deepEqual(fifoLevel(block(0, 0, 31)), { available: 1, lost: 0 })
  })

  it('reads equal pointers as empty when nothing was lost and A_FULL is clear', () => {
    assert.deepEqual(fifoLevel(block(17, 0, 17)), { available: 0, lost: 0 })
  })

  it('reads equal pointers as a full FIFO of 32 when OVF_COUNTER says samples were lost', () => {
    assert.deepEqual(fifoLevel(block(9, 7, 9)), { available: 32, lost: 7 })
    assert.deepEqual(fifoLevel(block(9, 0x1f, 9)), { available: 32, lost: 31 })
  })

  it('reads equal pointers as full when A_FULL (bit 7 of INTERRUPT_STATUS_1) is set and nothing was lost yet', () => {
    assert.deepEqual(fifoLevel(block(4, 0, 4, 0x80)), { available: 32, lost: 0 })
  })

  it('uses only bits 4:0 of the pointer registers', () => {
    assert.deepEqual(fifoLevel(block(0xe5, 0xe0, 0xe2)), { available: 3, lost: 0 })
  })
})
