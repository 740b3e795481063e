import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ALARM_STATES } from '../../../tasks/vocabulary.ts'
import { nextState, type AlarmInput, type AlarmRules, type AlarmState } from '../../../runtime/alarms/state-machine.ts'

const INPUTS: readonly AlarmInput[] = ['condition-raised', 'condition-cleared', 'acknowledge', 'reset', 'shelve', 'unshelve']

const N = 'normal'
const AU = 'active-unacknowledged'
const AA = 'active-acknowledged'
const RU = 'returned-unacknowledged'
const L = 'latched'
const S = 'shelved'

/** Expected: [state, acknowledged] when accepted, or the rejection text. */
type Expected = readonly [AlarmState, boolean] | string

interface Row {
  readonly state: AlarmState
  readonly acknowledged: boolean
  readonly input: AlarmInput
  readonly latch?: boolean
  readonly shelvable?: boolean
  readonly conditionActive?: boolean
  readonly expected: Expected
}

// After ISA-18.2's alarm state transition diagram, with edgert's rejections. Every (state, input) pair
// appears at least once; a pair whose outcome depends on the flag, latch, shelvable or the
// condition appears once per variant.
const TABLE: readonly Row[] = [
  // normal (acknowledged: nothing is pending)
  { state: N, acknowledged: true, input: 'condition-raised', expected: [AU, false] },
  { state: N, acknowledged: true, input: 'condition-raised', latch: true, expected: [AU, false] },
  { state: N, acknowledged: true, input: 'condition-cleared', expected: [N, true] },
  { state: N, acknowledged: true, input: 'acknowledge', expected: 'not in alarm' },
  { state: N, acknowledged: true, input: 'reset', expected: 'not latched' },
  { state: N, acknowledged: true, input: 'shelve', expected: [S, true] },
  { state: N, acknowledged: true, input: 'shelve', shelvable: false, expected: 'this alarm cannot be shelved: it is high severity with actions' },
  { state: N, acknowledged: true, input: 'unshelve', expected: 'not shelved' },

  // active-unacknowledged
  { state: AU, acknowledged: false, input: 'condition-raised', expected: [AU, false] },
  { state: AU, acknowledged: false, input: 'condition-cleared', expected: [RU, false] },
  { state: AU, acknowledged: false, input: 'condition-cleared', latch: true, expected: [L, false] },
  { state: AU, acknowledged: false, input: 'acknowledge', expected: [AA, true] },
  { state: AU, acknowledged: false, input: 'reset', expected: 'the condition is still present' },
  { state: AU, acknowledged: false, input: 'shelve', expected: [S, false] },
  { state: AU, acknowledged: false, input: 'shelve', shelvable: false, expected: 'this alarm cannot be shelved: it is high severity with actions' },
  { state: AU, acknowledged: false, input: 'unshelve', expected: 'not shelved' },

  // active-acknowledged
  { state: AA, acknowledged: true, input: 'condition-raised', expected: [AA, true] },
  { state: AA, acknowledged: true, input: 'condition-cleared', expected: [N, true] },
  { state: AA, acknowledged: true, input: 'condition-cleared', latch: true, expected: [L, true] },
  { state: AA, acknowledged: true, input: 'acknowledge', expected: 'already acknowledged' },
  { state: AA, acknowledged: true, input: 'reset', expected: 'the condition is still present' },
  { state: AA, acknowledged: true, input: 'shelve', expected: [S, true] },
  { state: AA, acknowledged: true, input: 'shelve', shelvable: false, expected: 'this alarm cannot be shelved: it is high severity with actions' },
  { state: AA, acknowledged: true, input: 'unshelve', expected: 'not shelved' },

  // returned-unacknowledged
  { state: RU, acknowledged: false, input: 'condition-raised', expected: [AU, false] },
  { state: RU, acknowledged: false, input: 'condition-cleared', expected: [RU, false] },
  { state: RU, acknowledged: false, input: 'acknowledge', expected: [N, true] },
  { state: RU, acknowledged: false, input: 'reset', expected: 'not latched' },
  { state: RU, acknowledged: false, input: 'shelve', expected: [S, false] },
  { state: RU, acknowledged: false, input: 'shelve', shelvable: false, expected: 'this alarm cannot be shelved: it is high severity with actions' },
  { state: RU, acknowledged: false, input: 'unshelve', expected: 'not shelved' },

  // latched, not yet acknowledged
  { state: L, acknowledged: false, input: 'condition-raised', latch: true, expected: [AU, false] },
  { state: L, acknowledged: false, input: 'condition-cleared', latch: true, expected: [L, false] },
  { state: L, acknowledged: false, input: 'acknowledge', latch: true, expected: [L, true] },
  { state: L, acknowledged: false, input: 'reset', latch: true, expected: [N, true] },
  { state: L, acknowledged: false, input: 'shelve', latch: true, expected: [S, false] },
  { state: L, acknowledged: false, input: 'shelve', latch: true, shelvable: false, expected: 'this alarm cannot be shelved: it is high severity with actions' },
  { state: L, acknowledged: false, input: 'unshelve', latch: true, expected: 'not shelved' },
  // latched, acknowledged
  { state: L, acknowledged: true, input: 'condition-raised', latch: true, expected: [AA, true] },
  { state: L, acknowledged: true, input: 'condition-cleared', latch: true, expected: [L, true] },
  { state: L, acknowledged: true, input: 'acknowledge', latch: true, expected: 'already acknowledged' },
  { state: L, acknowledged: true, input: 'reset', latch: true, expected: [N, true] },
  { state: L, acknowledged: true, input: 'shelve', latch: true, expected: [S, true] },
  { state: L, acknowledged: true, input: 'unshelve', latch: true, expected: 'not shelved' },

  // shelved: the condition is tracked elsewhere, but makes no transition; latch is ignored
  { state: S, acknowledged: false, input: 'condition-raised', expected: [S, false] },
  { state: S, acknowledged: true, input: 'condition-cleared', latch: true, expected: [S, true] },
  { state: S, acknowledged: false, input: 'acknowledge', expected: 'the alarm is shelved: unshelve it first' },
  { state: S, acknowledged: false, input: 'reset', latch: true, expected: 'not latched: the alarm is shelved' },
  { state: S, acknowledged: false, input: 'shelve', expected: [S, false] },
  { state: S, acknowledged: false, input: 'unshelve', conditionActive: true, expected: [AU, false] },
  { state: S, acknowledged: true, input: 'unshelve', conditionActive: true, latch: true, expected: [AU, false] },
  { state: S, acknowledged: false, input: 'unshelve', conditionActive: false, expected: [N, true] },
  { state: S, acknowledged: false, input: 'unshelve', conditionActive: false, latch: true, expected: [N, true] },
]

function rules(row: Row): AlarmRules {
  return { latch: row.latch ?? false, shelvable: row.shelvable ?? true, notShelvableBecause: 'it is high severity with actions' }
}

describe('alarm state machine', () => {
  for (const row of TABLE) {
    const variant = [`acknowledged=${row.acknowledged}`, row.latch ? 'latch' : '', row.shelvable === false ? 'not shelvable' : '', row.conditionActive === undefined ? '' : `condition ${row.conditionActive ? 'active' : 'inactive'}`]
    const outcome = typeof row.expected === 'string' ? `rejects: ${row.expected}` : `→ ${row.expected[0]}`
    it(`${row.state} + ${row.input} (${variant.filter(Boolean).join(', ')}) ${outcome}`, () => {
      const step = nextState(row.state, row.acknowledged, row.input, row.conditionActive ?? false, rules(row))
      if (typeof row.expected === 'string') assert.deepEqual(step, { ok: false, reason: row.expected })
      else assert.deepEqual(step, { ok: true, state: row.expected[0], acknowledged: row.expected[1] })
    })
  }

  it('the table covers every (state, input) pair', () => {
    const missing = ALARM_STATES.flatMap(state => INPUTS.filter(input => !TABLE.some(row => row.state === state && row.input === input)).map(input => `${state} + ${input}`))
    assert.deepEqual(missing, [])
  })

  it('says why when the rules give no reason for refusing a shelve', () => {
    assert.deepEqual(nextState(N, true, 'shelve', false, { latch: false, shelvable: false }), { ok: false, reason: 'this alarm cannot be shelved: shelvable is false' })
  })

  it('allocates no new outcome for accepted steps: the same input gives the same object', () => {
    const r = { latch: false, shelvable: true }
    assert.equal(nextState(N, true, 'condition-raised', false, r), nextState(RU, false, 'condition-raised', false, r))
  })
})
