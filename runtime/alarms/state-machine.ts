import { ALARM_STATES } from '../../tasks/vocabulary.ts'

/** Alarm states in the ISA-18.2 sense (after the alarm state transition diagram of ANSI/ISA-18.2). */
export type AlarmState = (typeof ALARM_STATES)[number]

/** What can happen to an alarm: the qualified condition changed, or an operator command. */
export type AlarmInput = 'condition-raised' | 'condition-cleared' | 'acknowledge' | 'reset' | 'shelve' | 'unshelve'

/** The per-alarm rules the transitions depend on. */
export interface AlarmRules {
  /** Stays held after the condition clears, until reset. */
  readonly latch: boolean
  readonly shelvable: boolean
  /** Why it cannot be shelved, for the rejection text; only read when `shelvable` is false. */
  readonly notShelvableBecause?: string
}

/**
 * The outcome of one input. `ok: true` may leave state and flag as they were (a condition input
 * that changes nothing, such as a raise while shelved); `ok: false` is a rejected command, with
 * the reason an operator is shown.
 */
export type AlarmStep =
  | { readonly ok: true; readonly state: AlarmState; readonly acknowledged: boolean }
  | { readonly ok: false; readonly reason: string }

type OkStep = Extract<AlarmStep, { ok: true }>

/**
 * Every accepted outcome, made once: nextState() allocates nothing except the text of a
 * "cannot be shelved" rejection, because it runs in the sampling job whenever a condition changes.
 */
const OK = {} as Record<AlarmState, readonly [OkStep, OkStep]>
for (const state of ALARM_STATES) {
  const step = (acknowledged: boolean): OkStep => Object.freeze({ ok: true, state, acknowledged })
  OK[state] = [step(false), step(true)]
}

const ok = (state: AlarmState, acknowledged: boolean): OkStep => OK[state][acknowledged ? 1 : 0]
const reject = (reason: string): AlarmStep => Object.freeze({ ok: false, reason })

const NOT_IN_ALARM = reject('not in alarm')
const ALREADY_ACKNOWLEDGED = reject('already acknowledged')
const STILL_PRESENT = reject('the condition is still present')
const NOT_LATCHED = reject('not latched')
const NOT_SHELVED = reject('not shelved')
const SHELVED_NO_ACK = reject('the alarm is shelved: unshelve it first')
const SHELVED_NO_RESET = reject('not latched: the alarm is shelved')

/**
 * The next state and acknowledged flag after `input`. Pure.
 *
 * `acknowledged` is "nothing awaits an acknowledgement for the current or last activation": true
 * in normal and active-acknowledged, false in active-unacknowledged and returned-unacknowledged,
 * either in latched; while shelved it keeps whatever it was. `conditionActive` is the qualified
 * condition, read only on unshelve. While shelved the condition inputs change nothing and latch
 * is ignored; unshelve goes to active-unacknowledged if the condition is active, else normal.
 */
export function nextState(state: AlarmState, acknowledged: boolean, input: AlarmInput, conditionActive: boolean, rules: AlarmRules): AlarmStep {
  switch (input) {
    case 'shelve':
      return rules.shelvable ? ok('shelved', acknowledged) : reject(`this alarm cannot be shelved: ${rules.notShelvableBecause ?? 'shelvable is false'}`)
    case 'unshelve':
      if (state !== 'shelved') return NOT_SHELVED
      return conditionActive ? ok('active-unacknowledged', false) : ok('normal', true)
    case 'condition-raised':
      return raised(state, acknowledged)
    case 'condition-cleared':
      return cleared(state, acknowledged, rules.latch)
    case 'acknowledge':
      return acknowledge(state, acknowledged)
    case 'reset':
      return reset(state, acknowledged)
  }
}

function raised(state: AlarmState, acknowledged: boolean): AlarmStep {
  switch (state) {
    case 'normal':
    case 'returned-unacknowledged':
      return ok('active-unacknowledged', false)
    case 'latched':
      // A new activation of a latched alarm the operator has already seen needs no new acknowledge.
      return acknowledged ? ok('active-acknowledged', true) : ok('active-unacknowledged', false)
    case 'active-unacknowledged':
    case 'active-acknowledged':
    case 'shelved':
      return ok(state, acknowledged)
  }
}

function cleared(state: AlarmState, acknowledged: boolean, latch: boolean): AlarmStep {
  switch (state) {
    case 'active-unacknowledged':
      return latch ? ok('latched', false) : ok('returned-unacknowledged', false)
    case 'active-acknowledged':
      return latch ? ok('latched', true) : ok('normal', true)
    case 'normal':
    case 'returned-unacknowledged':
    case 'latched':
    case 'shelved':
      return ok(state, acknowledged)
  }
}

function acknowledge(state: AlarmState, acknowledged: boolean): AlarmStep {
  switch (state) {
    case 'normal':
      return NOT_IN_ALARM
    case 'active-unacknowledged':
      return ok('active-acknowledged', true)
    case 'active-acknowledged':
      return ALREADY_ACKNOWLEDGED
    case 'returned-unacknowledged':
      return ok('normal', true)
    case 'latched':
      return acknowledged ? ALREADY_ACKNOWLEDGED : ok('latched', true)
    case 'shelved':
      return SHELVED_NO_ACK
  }
}

function reset(state: AlarmState, _acknowledged: boolean): AlarmStep {
  switch (state) {
    case 'latched':
      return ok('normal', true)
    case 'active-unacknowledged':
    case 'active-acknowledged':
      return STILL_PRESENT
    case 'normal':
    case 'returned-unacknowledged':
      return NOT_LATCHED
    case 'shelved':
      return SHELVED_NO_RESET
  }
}
