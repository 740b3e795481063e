import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ConditionSpec } from '../../../tasks/alarm-schema.ts'
import { channelCell, type ChannelCell } from '../../../runtime/alarms/channel-cell.ts'
import { compileCondition, type Truth } from '../../../runtime/alarms/condition.ts'

const MAX_AGE_MS = 1000

/** A cell per reference, created on first use, as the binding would hand them out. */
function cells() {
  const byRef = new Map<string, ChannelCell>()
  const resolve = (ref: string): ChannelCell => {
    let cell = byRef.get(ref)
    if (!cell) byRef.set(ref, (cell = channelCell(ref.includes('.') ? ref : `own.${ref}`, MAX_AGE_MS)))
    return cell
  }
  return { resolve, byRef }
}

function good(cell: ChannelCell, value: number, atMs: number, ratePerS = Number.NaN): void {
  cell.value = value
  cell.ratePerS = ratePerS
  cell.atMs = atMs
  cell.quality = 'good'
  cell.reason = undefined
}

/** Feeds `values` to the condition's single channel, one per 100 ms, and returns the truths. */
function run(spec: ConditionSpec, values: readonly number[]): Truth[] {
  const { resolve } = cells()
  const condition = compileCondition(spec, resolve, [])
  const cell = condition.cells[0]!
  return values.map((value, i) => {
    good(cell, value, i * 100)
    return condition.evaluate(i * 100)
  })
}

const T = 'true'
const F = 'false'
const U = 'unknown'

describe('level conditions', () => {
  const cases: { title: string; spec: ConditionSpec; values: number[]; expected: Truth[] }[] = [
    {
      title: 'above with hysteresis: sets above setAbove, clears only below clearAbove',
      spec: { channel: 'x', of: 'value', setAbove: 100, clearAbove: 90 },
      values: [50, 99, 101, 95, 91, 89, 95, 101],
      expected: [F, F, T, T, T, F, F, T],
    },
    {
      title: 'above: a value equal to a threshold keeps the current state',
      spec: { channel: 'x', of: 'value', setAbove: 100, clearAbove: 90 },
      values: [100, 100.5, 90, 89.9, 100],
      expected: [F, T, T, F, F],
    },
    {
      title: 'above without clearAbove clears below setAbove',
      spec: { channel: 'x', of: 'value', setAbove: 100 },
      values: [101, 100, 99.9, 100],
      expected: [T, T, F, F],
    },
    {
      title: 'below with hysteresis: sets below setBelow, clears only above clearBelow',
      spec: { channel: 'x', of: 'value', setBelow: 10, clearBelow: 12 },
      values: [20, 10, 9, 11, 12, 12.1, 11, 9.5],
      expected: [F, F, T, T, T, F, F, T],
    },
    {
      title: 'outside a range: true while either part is active',
      spec: { channel: 'x', of: 'value', setAbove: 100, clearAbove: 95, setBelow: 10, clearBelow: 15 },
      values: [50, 101, 96, 94, 9, 14, 16, 50],
      expected: [F, T, T, F, T, T, F, F],
    },
    {
      title: 'Infinity compares normally (time-to-collision when nothing closes)',
      spec: { channel: 'ttc', of: 'value', setBelow: 2, clearBelow: 3 },
      values: [Infinity, 1.5, Infinity, 1, -Infinity],
      expected: [F, T, F, T, T],
    },
    {
      title: 'Infinity is above any setAbove',
      spec: { channel: 'x', of: 'value', setAbove: 1e6 },
      values: [Infinity, 5],
      expected: [T, F],
    },
  ]
  for (const { title, spec, values, expected } of cases) {
    it(title, () => assert.deepEqual(run(spec, values), expected))
  }

  it("reads ratePerS with of: 'rate', and is unknown while the rate is NaN", () => {
    const { resolve } = cells()
    const condition = compileCondition({ channel: 'x', of: 'rate', setAbove: 2, clearAbove: 1 }, resolve, [])
    const cell = condition.cells[0]!
    const truths = [
      [1000, Number.NaN],
      [1000, 3],
      [0, 1.5],
      [0, 0.5],
    ].map(([value, rate], i) => {
      good(cell, value!, i * 100, rate)
      return condition.evaluate(i * 100)
    })
    assert.deepEqual(truths, [U, T, T, F])
  })

  const untrusted: { title: string; spoil: (cell: ChannelCell) => void }[] = [
    { title: 'stale', spoil: cell => void (cell.atMs -= MAX_AGE_MS + 1) },
    { title: 'fault', spoil: cell => Object.assign(cell, { quality: 'fault', reason: 'signal-low' }) },
    { title: 'no-data', spoil: cell => Object.assign(cell, { quality: 'no-data', reason: 'nack' }) },
    { title: 'NaN', spoil: cell => void (cell.value = Number.NaN) },
  ]
  for (const { title, spoil } of untrusted) {
    it(`is unknown on a ${title} cell and keeps its hysteresis state`, () => {
      const { resolve } = cells()
      const condition = compileCondition({ channel: 'x', of: 'value', setAbove: 100, clearAbove: 90 }, resolve, [])
      const cell = condition.cells[0]!
      good(cell, 101, 0)
      assert.equal(condition.evaluate(0), T)
      good(cell, 50, 100)
      spoil(cell)
      assert.equal(condition.evaluate(100), U)
      good(cell, 95, 200) // inside the band: still active, so the unknown did not clear it
      assert.equal(condition.evaluate(200), T)
    })
  }

  it('a value read after maxAgeMs has passed is stale (unknown) even though it was good', () => {
    const { resolve } = cells()
    const condition = compileCondition({ channel: 'x', of: 'value', setAbove: 1 }, resolve, [])
    good(condition.cells[0]!, 5, 0)
    assert.equal(condition.evaluate(MAX_AGE_MS), T)
    assert.equal(condition.evaluate(MAX_AGE_MS + 1), U)
  })

  it('reset() puts the leaf back to inactive', () => {
    const { resolve } = cells()
    const condition = compileCondition({ channel: 'x', of: 'value', setAbove: 100, clearAbove: 90 }, resolve, [])
    const cell = condition.cells[0]!
    good(cell, 101, 0)
    assert.equal(condition.evaluate(0), T)
    condition.reset()
    good(cell, 95, 100)
    assert.equal(condition.evaluate(100), F)
  })

  const badSpecs: { title: string; spec: ConditionSpec; message: RegExp }[] = [
    { title: 'no set threshold', spec: { channel: 'x', of: 'value' }, message: /needs setAbove or setBelow/ },
    { title: 'clearAbove above setAbove', spec: { channel: 'x', of: 'value', setAbove: 10, clearAbove: 11 }, message: /clearAbove \(11\) must not be above/ },
    { title: 'clearBelow below setBelow', spec: { channel: 'x', of: 'value', setBelow: 10, clearBelow: 9 }, message: /clearBelow \(9\) must not be below/ },
    { title: 'clearAbove alone', spec: { channel: 'x', of: 'value', setBelow: 1, clearAbove: 3 }, message: /clearAbove without setAbove/ },
  ]
  for (const { title, spec, message } of badSpecs) {
    it(`throws RangeError for ${title}`, () => {
      assert.throws(() => compileCondition(spec, cells().resolve, []), { name: 'RangeError', message })
    })
  }
})

describe('technical conditions', () => {
  function technical(spec: ConditionSpec) {
    const { resolve } = cells()
    const own = [channelCell('own.a', MAX_AGE_MS), channelCell('own.b', MAX_AGE_MS)]
    for (const cell of own) good(cell, 1, 0)
    return { condition: compileCondition(spec, resolve, own), own, resolve }
  }

  it('is true when any own cell has a listed kind, and never unknown', () => {
    const { condition, own } = technical({ technical: ['fault'] })
    assert.equal(condition.technical, true)
    assert.deepEqual(condition.cells, own)
    assert.equal(condition.evaluate(0), F)
    Object.assign(own[1]!, { quality: 'fault', reason: 'probe-off' })
    assert.equal(condition.evaluate(0), T)
    Object.assign(own[1]!, { quality: 'no-data', reason: 'nack' })
    assert.equal(condition.evaluate(0), F, 'no-data is not listed')
  })

  it("matches 'stale' by age, and 'no-data' before the first reading", () => {
    const { condition, own } = technical({ technical: ['stale', 'no-data'] })
    assert.equal(condition.evaluate(MAX_AGE_MS), F)
    assert.equal(condition.evaluate(MAX_AGE_MS + 1), T)
    good(own[0]!, 1, 5000)
    good(own[1]!, 1, 5000)
    assert.equal(condition.evaluate(5000), F)
    own[0]!.quality = 'no-data'
    own[0]!.reason = 'absent'
    assert.equal(condition.evaluate(5000), T)
  })

  it('filters fault and no-data by reason; stale always matches when listed', () => {
    const { condition, own } = technical({ technical: ['fault', 'no-data', 'stale'], reasons: ['probe-off'] })
    const [a] = own
    const cases: [Partial<ChannelCell>, number, Truth][] = [
      [{ quality: 'fault', reason: 'signal-low' }, 0, F],
      [{ quality: 'fault', reason: 'probe-off' }, 0, T],
      [{ quality: 'no-data', reason: 'nack' }, 0, F],
      [{ quality: 'no-data', reason: 'probe-off' }, 0, T],
      [{ quality: 'fault', reason: undefined }, 0, F],
      [{ quality: 'good', reason: undefined, atMs: -MAX_AGE_MS - 1 }, 0, T],
    ]
    for (const [fields, nowMs, expected] of cases) {
      good(own[1]!, 1, nowMs)
      Object.assign(a!, { atMs: nowMs }, fields)
      assert.equal(condition.evaluate(nowMs), expected, JSON.stringify(fields))
    }
  })

  it('reads only the listed channels when channels is given', () => {
    const { condition, own, resolve } = technical({ technical: ['fault'], channels: ['lidar.distanceM', 'lidar.distanceM'] })
    const lidar = resolve('lidar.distanceM')
    assert.deepEqual(condition.cells, [lidar], 'distinct cells')
    good(lidar, 1, 0)
    Object.assign(own[0]!, { quality: 'fault', reason: 'x' })
    assert.equal(condition.evaluate(0), F)
    Object.assign(lidar, { quality: 'fault', reason: 'x' })
    assert.equal(condition.evaluate(0), T)
  })
})

describe('all / any', () => {
  // Each child is a level leaf on its own channel: 1 → true, 0 → false, NaN → unknown.
  const valueOf: Record<Truth, number> = { true: 1, false: 0, unknown: Number.NaN }
  const truths: Truth[] = [T, F, U]
  const expectedAll = (a: Truth, b: Truth): Truth => (a === F || b === F ? F : a === U || b === U ? U : T)
  const expectedAny = (a: Truth, b: Truth): Truth => (a === T || b === T ? T : a === U || b === U ? U : F)

  for (const [op, expected] of [['all', expectedAll], ['any', expectedAny]] as const) {
    it(`${op} follows the three-valued truth table`, () => {
      for (const a of truths) {
        for (const b of truths) {
          const { resolve } = cells()
          const leaves: ConditionSpec[] = [
            { channel: 'a', of: 'value', setAbove: 0.5 },
            { channel: 'b', of: 'value', setAbove: 0.5 },
          ]
          const spec: ConditionSpec = op === 'all' ? { all: leaves } : { any: leaves }
          const condition = compileCondition(spec, resolve, [])
          good(resolve('a'), valueOf[a], 0)
          good(resolve('b'), valueOf[b], 0)
          assert.equal(condition.evaluate(0), expected(a, b), `${op}(${a}, ${b})`)
        }
      }
    })
  }

  it('evaluates every child every time, so hysteresis stays current (no short circuit)', () => {
    const { resolve } = cells()
    const condition = compileCondition(
      {
        any: [
          { channel: 'a', of: 'value', setAbove: 0.5 },
          { channel: 'b', of: 'value', setAbove: 100, clearAbove: 90 },
        ],
      },
      resolve,
      [],
    )
    good(resolve('a'), 1, 0)
    good(resolve('b'), 101, 0) // b activates although a already made the any true
    assert.equal(condition.evaluate(0), T)
    good(resolve('a'), 0, 100)
    good(resolve('b'), 95, 100)
    assert.equal(condition.evaluate(100), T, 'b is still active inside its band')
  })

  it('nests, collects distinct cells, and reset() reaches every leaf', () => {
    const { resolve } = cells()
    const condition = compileCondition(
      {
        all: [
          { channel: 'a', of: 'value', setAbove: 100, clearAbove: 90 },
          { any: [{ channel: 'b', of: 'value', setBelow: 0 }, { channel: 'a', of: 'rate', setAbove: 5 }] },
        ],
      },
      resolve,
      [],
    )
    assert.deepEqual(condition.cells, [resolve('a'), resolve('b')])
    assert.equal(condition.technical, false)
    good(resolve('a'), 101, 0, 0)
    good(resolve('b'), -1, 0)
    assert.equal(condition.evaluate(0), T)
    condition.reset()
    good(resolve('a'), 95, 100, 0)
    good(resolve('b'), -1, 100)
    assert.equal(condition.evaluate(100), F, 'a was reset to inactive')
  })

  it('throws RangeError, naming the path, when a tree mixes technical and level leaves', () => {
    const spec: ConditionSpec = { any: [{ technical: ['fault'] }, { all: [{ channel: 'x', of: 'value', setAbove: 1 }] }] }
    assert.throws(() => compileCondition(spec, cells().resolve, []), { name: 'RangeError', message: /^when: .*mix technical and level/ })
    const nested: ConditionSpec = { all: [{ channel: 'x', of: 'value', setAbove: 1 }, { any: [{ channel: 'y', of: 'value', setAbove: 1 }, { technical: ['stale'] }] }] }
    assert.throws(() => compileCondition(nested, cells().resolve, []), { name: 'RangeError', message: /^when\.all\[1\]: / })
  })

  it('is technical when every leaf is', () => {
    const condition = compileCondition({ any: [{ technical: ['fault'] }, { all: [{ technical: ['stale'], channels: ['x'] }] }] }, cells().resolve, [])
    assert.equal(condition.technical, true)
  })
})
