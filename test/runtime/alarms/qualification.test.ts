import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { DelaySpec } from '../../../tasks/alarm-schema.ts'
import type { Truth } from '../../../runtime/alarms/condition.ts'
import { Qualifier } from '../../../runtime/alarms/qualification.ts'

const T = 'true'
const F = 'false'
const U = 'unknown'

/** Steps a fresh qualifier through [atMs, truth] pairs and returns `active` after each. */
function qualify(onDelay: DelaySpec | undefined, offDelay: DelaySpec | undefined, steps: readonly (readonly [number, Truth])[], startActive = false): boolean[] {
  const qualifier = new Qualifier(onDelay, offDelay)
  qualifier.set(startActive)
  return steps.map(([atMs, truth]) => qualifier.step(truth, atMs))
}

describe('Qualifier', () => {
  const cases: { title: string; on?: DelaySpec; off?: DelaySpec; startActive?: boolean; steps: [number, Truth][]; expected: boolean[] }[] = [
    {
      title: 'without delays follows true and false at once',
      steps: [[0, T], [1, F], [2, T]],
      expected: [true, false, true],
    },
    {
      title: 'an ms on-delay raises once the run has lasted ms (>=), counted from its first true',
      on: { ms: 300 },
      steps: [[0, T], [100, T], [299, T], [300, T], [400, T]],
      expected: [false, false, false, true, true],
    },
    {
      title: '{ ms: 0 } is immediate',
      on: { ms: 0 },
      steps: [[0, T]],
      expected: [true],
    },
    {
      title: 'a samples on-delay raises on the n-th consecutive true, whatever the spacing',
      on: { samples: 3 },
      steps: [[0, T], [1, T], [10_000, T]],
      expected: [false, false, true],
    },
    {
      title: 'a false interrupts an ms run: the next true starts a new one',
      on: { ms: 300 },
      steps: [[0, T], [200, F], [250, T], [500, T], [550, T]],
      expected: [false, false, false, false, true],
    },
    {
      title: 'an unknown neither counts toward a samples run nor ends it, and changes nothing by itself',
      on: { samples: 2 },
      steps: [[0, T], [1, U], [2, T], [3, T], [4, U], [5, U]],
      expected: [false, false, true, true, true, true],
    },
    {
      title: 'an unknown inside an ms run does not restart it: the run qualifies on time from its first true',
      on: { ms: 300 },
      steps: [[0, T], [100, U], [200, U], [300, T]],
      expected: [false, false, false, true],
    },
    {
      title: 'an ms off-delay clears once false has lasted ms; a true restarts the off run, an unknown does not',
      off: { ms: 200 },
      startActive: true,
      steps: [[0, F], [150, T], [160, F], [300, U], [310, F], [360, F], [370, F]],
      expected: [true, true, true, true, true, false, false],
    },
    {
      title: 'a samples off-delay clears on the n-th consecutive false',
      off: { samples: 2 },
      startActive: true,
      steps: [[0, F], [1, T], [2, F], [3, F]],
      expected: [true, true, true, false],
    },
    {
      title: 'the on-delay and off-delay apply each in its own direction',
      on: { samples: 2 },
      off: { ms: 100 },
      steps: [[0, T], [10, T], [20, F], [119, F], [120, F], [130, T], [140, T]],
      expected: [false, true, true, true, false, false, true],
    },
  ]
  for (const { title, on, off, startActive, steps, expected } of cases) {
    it(title, () => assert.deepEqual(qualify(on, off, steps, startActive), expected))
  }

  it('only unknowns never change active, from either side', () => {
    assert.deepEqual(qualify(undefined, undefined, [[0, U], [1, U]]), [false, false])
    assert.deepEqual(qualify(undefined, undefined, [[0, U], [1, U]], true), [true, true])
  })

  it('set() restores a value and forgets the run in progress', () => {
    const qualifier = new Qualifier({ samples: 2 }, undefined)
    qualifier.step(T, 0)
    qualifier.set(false)
    assert.equal(qualifier.step(T, 1), false, 'the run before set() does not count')
    assert.equal(qualifier.step(T, 2), true)
    assert.equal(qualifier.active, true)
  })
})
