import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { temperatureFromBytes, temperatureFromWord } from '../../drivers/sensors/max30205/conversion.ts'

/**
 * Vectors from the MAX30205 datasheet's temperature data format: a 16-bit two's complement word,
 * LSB = 0.00390625 °C, 0x0000 = 0 °C; in the extended format (configuration D5 = 1) the same word
 * reads 64 °C higher. The hex column is the register; the °C column is the table's reading.
 */
const normal: [number, number][] = [
  [0x7fff, 127.99609375], // largest positive word
  [0x2500, 37], // 37 °C = 37 · 256 LSB
  [0x0001, 0.00390625], // one LSB
  [0x0000, 0],
  [0xffff, -0.00390625], // two's complement: -1 LSB
  [0x8000, -128], // most negative word
]

const signed = (word: number): number => (word >= 0x8000 ? word - 0x10000 : word)

describe('MAX30205 temperature data format', () => {
  for (const [word, temperatureC] of normal) {
    it(`reads 0x${word.toString(16).padStart(4, '0')} as ${temperatureC} °C in the normal format`, () => {
      assert.equal(temperatureFromWord(signed(word), false), temperatureC)
    })
  }

  it('adds 64 °C in the extended format: 0x0000 is 64 °C, 0x8000 is -64 °C, 0x7FFF is 191.99609375 °C', () => {
    assert.equal(temperatureFromWord(0, true), 64)
    assert.equal(temperatureFromWord(signed(0x8000), true), -64)
    assert.equal(temperatureFromWord(signed(0x7fff), true), 191.99609375)
  })

  it('takes the two register bytes MSB first', () => {
    assert.equal(temperatureFromBytes(Uint8Array.of(0x25, 0x00), false), 37)
    assert.equal(temperatureFromBytes(Uint8Array.of(0x00, 0x01), false), 0.00390625)
    assert.equal(temperatureFromBytes(Uint8Array.of(0xff, 0xff), false), -0.00390625)
  })

  it('refuses a reply shorter than two bytes', () => {
    assert.throws(() => temperatureFromBytes(Uint8Array.of(0x25), false), RangeError)
  })
})
