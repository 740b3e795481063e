import type { AlarmSpec } from '../../tasks/alarm-schema.ts'
import { ALARM_STATES } from '../../tasks/vocabulary.ts'
import type { Condition } from './condition.ts'
import { Qualifier } from './qualification.ts'
import { nextState, type AlarmInput, type AlarmRules, type AlarmState, type AlarmStep } from './state-machine.ts'

export type { AlarmState } from './state-machine.ts'

/** Why an alarm moved: its qualified condition, an operator command, a shelve running out, or a restore at boot. */
export type AlarmCause = 'condition' | 'acknowledge' | 'reset' | 'shelve' | 'unshelve' | 'shelve-expired' | 'restore'

/**
 * One change of an alarm. `from === to` only for an acknowledge of a latched alarm, where the
 * acknowledged flag is the whole change (it releases outputs held until acknowledge).
 */
export interface AlarmTransition {
  readonly alarmId: string
  readonly from: AlarmState
  readonly to: AlarmState
  readonly atMs: number
  readonly cause: AlarmCause
  /** The acknowledged flag after the transition (see nextState()). */
  readonly acknowledged: boolean
}

/** An accepted command, with the transition it made (null when it changed nothing, e.g. re-shelving), or a rejection. */
export type CommandResult = { readonly ok: true; readonly transition: AlarmTransition | null } | { readonly ok: false; readonly reason: string }

/** What survives a restart (runtime/alarms/store.ts keeps it). */
export interface PersistedAlarm {
  readonly id: string
  readonly state: AlarmState
  readonly acknowledged: boolean
  readonly conditionActive: boolean
  readonly shelvedUntilMs: number | null
  readonly raisedAtMs: number | null
}

type OkStep = Extract<AlarmStep, { ok: true }>

const isActive = (state: AlarmState): boolean => state === 'active-unacknowledged' || state === 'active-acknowledged'

/**
 * One alarm of a sample task: condition → time qualification → ISA-18.2 states.
 *
 * Contract:
 * - evaluate() runs in the sampling job after the cells are written. It allocates nothing unless
 *   the state changes, makes at most one transition, and returns it (always with from !== to), else null.
 * - While shelved the condition is still evaluated and qualified, but makes no transition; the
 *   shelve ends by unshelve() or at the first evaluate() at or after `shelvedUntilMs`.
 * - Commands never throw for a refused operation: they return `ok: false` with the reason.
 * - Times are on the runtime Clock, ms.
 */
export class Alarm {
  readonly id: string
  readonly taskId: string
  readonly severity: AlarmSpec['severity']
  readonly category: 'value' | 'technical'
  readonly latch: boolean
  readonly shelvable: boolean
  readonly spec: AlarmSpec
  readonly condition: Condition
  readonly #qualifier: Qualifier
  readonly #rules: AlarmRules
  #state: AlarmState = 'normal'
  #acknowledged = true
  #raisedAtMs: number | null = null
  #shelvedUntilMs: number | null = null
  #untrustedRun = 0
  #decided = false

  /** `spec` is the parsed table entry (defaults applied); `condition` is compileCondition(spec.when, …). */
  constructor(spec: AlarmSpec, condition: Condition, taskId: string) {
    this.spec = spec
    this.condition = condition
    this.taskId = taskId
    this.id = spec.id
    this.severity = spec.severity
    this.category = condition.technical ? 'technical' : 'value'
    this.latch = spec.latch
    // An unattended high alarm that drives outputs must not be silenced by default.
    const guarded = spec.severity === 'high' && spec.actions.length > 0
    this.shelvable = spec.shelvable ?? !guarded
    this.#rules = {
      latch: spec.latch,
      shelvable: this.shelvable,
      notShelvableBecause: spec.shelvable === false ? 'the table says shelvable: false' : 'it is high severity with actions (the table may set shelvable: true)',
    }
    this.#qualifier = new Qualifier(spec.onDelay, spec.offDelay)
  }

  get state(): AlarmState {
    return this.#state
  }

  get acknowledged(): boolean {
    return this.#acknowledged
  }

  /** The qualified condition (after on/off delays). */
  get conditionActive(): boolean {
    return this.#qualifier.active
  }

  /** When the current or last activation was raised (entered an active state); null before the first. */
  get raisedAtMs(): number | null {
    return this.#raisedAtMs
  }

  get shelvedUntilMs(): number | null {
    return this.#shelvedUntilMs
  }

  /** Outputs are held while active (unacknowledged or acknowledged) or latched; not while shelved, normal or returned-unacknowledged. */
  get holding(): boolean {
    return isActive(this.#state) || this.#state === 'latched'
  }

  /** Consecutive evaluations whose raw condition was 'unknown' (0 after any definite one). */
  get untrustedRun(): number {
    return this.#untrustedRun
  }

  /** True once an evaluation gave a definite result (not 'unknown') — before that the outputs it drives stay where boot put them. */
  get decided(): boolean {
    return this.#decided
  }

  /**
   * Evaluates the condition at `nowMs` and applies the qualified result. The condition is stepped
   * before the shelve expiry is checked, so an expiring shelve unshelves on this sample's value in
   * one transition (cause 'shelve-expired').
   */
  evaluate(nowMs: number): AlarmTransition | null {
    const truth = this.condition.evaluate(nowMs)
    if (truth === 'unknown') this.#untrustedRun++
    else {
      this.#untrustedRun = 0
      this.#decided = true
    }
    const wasActive = this.#qualifier.active
    const active = this.#qualifier.step(truth, nowMs)
    if (this.#state === 'shelved') {
      if (this.#shelvedUntilMs !== null && nowMs < this.#shelvedUntilMs) return null
      return this.#move(this.#accepted('unshelve'), nowMs, 'shelve-expired')
    }
    if (active === wasActive) return null
    return this.#move(this.#accepted(active ? 'condition-raised' : 'condition-cleared'), nowMs, 'condition')
  }

  acknowledge(nowMs: number): CommandResult {
    return this.#command('acknowledge', nowMs)
  }

  reset(nowMs: number): CommandResult {
    return this.#command('reset', nowMs)
  }

  /** Shelves until `untilMs` (a finite time after `nowMs`); shelving again while shelved moves the expiry. */
  shelve(untilMs: number, nowMs: number): CommandResult {
    const step = this.#step('shelve')
    if (!step.ok) return step
    // ISA-18.2 shelving is time-limited: a shelve without an end would be a silent suppression.
    if (!(untilMs > nowMs) || !Number.isFinite(untilMs)) return { ok: false, reason: `the shelve must end at a finite time after now (${nowMs} ms), not ${untilMs}` }
    const transition = this.#move(step, nowMs, 'shelve')
    this.#shelvedUntilMs = untilMs
    return { ok: true, transition }
  }

  unshelve(nowMs: number): CommandResult {
    return this.#command('unshelve', nowMs)
  }

  snapshot(): PersistedAlarm {
    return {
      id: this.id,
      state: this.#state,
      acknowledged: this.#acknowledged,
      conditionActive: this.#qualifier.active,
      shelvedUntilMs: this.#shelvedUntilMs,
      raisedAtMs: this.#raisedAtMs,
    }
  }

  /**
   * Puts back a persisted state (at boot); returns a transition with cause 'restore' from 'normal' to it when it is not 'normal' (the re-announcement), else null.
   * A persisted shelve that has expired (or of an alarm the table no longer lets be shelved) comes back unshelved.
   * The condition's leaves start inactive and the qualifier takes `saved.conditionActive`; the next
   * evaluations re-decide from the live values. Throws RangeError for another alarm's or an unknown state.
   */
  restore(saved: PersistedAlarm, nowMs: number): AlarmTransition | null {
    if (saved.id !== this.id) throw new RangeError(`alarm '${this.id}' cannot restore the state of '${saved.id}'`)
    if (!(ALARM_STATES as readonly string[]).includes(saved.state)) throw new RangeError(`alarm '${this.id}': unknown persisted state '${saved.state}'`)
    this.condition.reset()
    this.#qualifier.set(saved.conditionActive)
    this.#untrustedRun = 0
    this.#decided = false
    this.#state = saved.state
    this.#acknowledged = saved.acknowledged
    this.#raisedAtMs = saved.raisedAtMs
    this.#shelvedUntilMs = saved.state === 'shelved' ? saved.shelvedUntilMs : null
    if (saved.state === 'shelved' && (!this.shelvable || saved.shelvedUntilMs === null || nowMs >= saved.shelvedUntilMs)) {
      this.#move(this.#accepted('unshelve'), nowMs, 'restore')
    }
    if (this.#state === 'normal') return null
    return { alarmId: this.id, from: 'normal', to: this.#state, atMs: nowMs, cause: 'restore', acknowledged: this.#acknowledged }
  }

  #step(input: AlarmInput): AlarmStep {
    return nextState(this.#state, this.#acknowledged, input, this.#qualifier.active, this.#rules)
  }

  /** A step the machine always accepts here (condition inputs; unshelve while shelved). */
  #accepted(input: AlarmInput): OkStep {
    const step = this.#step(input)
    if (!step.ok) throw new Error(`alarm '${this.id}': ${input} in ${this.#state} was refused (${step.reason})`)
    return step
  }

  #command(input: 'acknowledge' | 'reset' | 'unshelve', nowMs: number): CommandResult {
    const step = this.#step(input)
    if (!step.ok) return step
    return { ok: true, transition: this.#move(step, nowMs, input) }
  }

  /** Applies an accepted step; returns the transition, or null (allocating nothing) when it changed nothing. */
  #move(step: OkStep, nowMs: number, cause: AlarmCause): AlarmTransition | null {
    const from = this.#state
    if (step.state === from && step.acknowledged === this.#acknowledged) return null
    this.#state = step.state
    this.#acknowledged = step.acknowledged
    if (isActive(step.state) && !isActive(from)) this.#raisedAtMs = nowMs
    if (from === 'shelved' && step.state !== 'shelved') this.#shelvedUntilMs = null
    return { alarmId: this.id, from, to: step.state, atMs: nowMs, cause, acknowledged: step.acknowledged }
  }
}
