import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { SlopeWindow } from '../../../runtime/filters/slope.ts'

function windowOf(samples: number, points: readonly (readonly [number, number])[]): SlopeWindow {
  const window = new SlopeWindow(samples)
  for (const [atMs, value] of points) window.push(atMs, value)
  return window
}

describe('SlopeWindow', () => {
  it('gives the slope per second of points on a line', () => {
    assert.equal(windowOf(3, [[0, 1], [1000, 3], [2000, 5]]).slopePerS, 2)
  })

  it('gives the least-squares slope of scattered points', () => {
    // t = 0, 1, 2, 3 s; mean t 1.5, mean v 1.25; Sxy = 1.875 + 0.125 - 0.125 + 2.625 = 4.5; Sxx = 5
    assert.ok(Math.abs(windowOf(4, [[0, 0], [1000, 1], [2000, 1], [3000, 3]]).slopePerS - 0.9) < 1e-12)
  })

  it('uses only the newest n points', () => {
    // The newest 3 of the above: t = 1, 2, 3 s, v = 1, 1, 3: Sxy = 2, Sxx = 2
    assert.ok(Math.abs(windowOf(3, [[0, 0], [1000, 1], [2000, 1], [3000, 3]]).slopePerS - 1) < 1e-12)
  })

  it('is NaN with fewer than 2 points or when all times are equal', () => {
    assert.ok(Number.isNaN(new SlopeWindow(2).slopePerS))
    assert.ok(Number.isNaN(windowOf(4, [[500, 1]]).slopePerS))
    assert.ok(Number.isNaN(windowOf(4, [[500, 1], [500, 2], [500, 3]]).slopePerS))
  })

  it('ignores NaN pushes', () => {
    assert.equal(windowOf(2, [[0, 1], [1000, NaN], [NaN, 50], [2000, 3]]).slopePerS, 1)
  })

  it('forgets its points on reset', () => {
    const window = windowOf(4, [[0, 100], [1000, 0]])
    window.reset()
    assert.ok(Number.isNaN(window.slopePerS))
    window.push(5000, 1)
    window.push(5500, 2)
    assert.equal(window.slopePerS, 2)
  })

  it('rejects a window shorter than 2', () => {
    assert.throws(() => new SlopeWindow(1), RangeError)
    assert.throws(() => new SlopeWindow(3.5), RangeError)
  })

  it('gives the slope of exact linear data at large clock values within 1e-9', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 100 }),
        fc.integer({ min: 0, max: 2 ** 42 }),
        fc.double({ min: -100, max: 100, noNaN: true }),
        fc.double({ min: -1000, max: 1000, noNaN: true }),
        fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 200, size: 'max' }),
        (samples, startMs, slopePerS, intercept, gapsMs) => {
          const window = new SlopeWindow(samples)
          let offsetMs = 0
          window.push(startMs, intercept)
          for (const gapMs of gapsMs) {
            offsetMs += gapMs
            window.push(startMs + offsetMs, intercept + (slopePerS * offsetMs) / 1000)
          }
          const got = window.slopePerS
          assert.ok(Math.abs(got - slopePerS) <= 1e-9 * Math.max(1, Math.abs(slopePerS)), `got ${got}, want ${slopePerS}`)
        },
      ),
    )
  })
})
