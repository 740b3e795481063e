import type { ALARM_SEVERITIES } from '../../tasks/vocabulary.ts'
import type { OutputArbiter, OutputState } from '../actuation/output-arbiter.ts'
import type { Alarm, AlarmCause, AlarmTransition, CommandResult, PersistedAlarm } from './alarm.ts'
import { trustOf, type Trust } from './channel-cell.ts'
import type { ThresholdName } from './condition.ts'

/** One transition of one alarm, as the live view, the log and (later) MQTT see it. */
export interface AlarmEvent {
  readonly alarmId: string
  readonly taskId: string
  readonly severity: (typeof ALARM_SEVERITIES)[number]
  readonly category: 'value' | 'technical'
  readonly from: Alarm['state']
  readonly to: Alarm['state']
  readonly cause: AlarmCause
  readonly acknowledged: boolean
  readonly atMs: number
  /** The channels the condition reads, as they were at the transition. */
  readonly inputs: readonly { readonly channel: string; readonly value: number; readonly trust: Trust; readonly reason?: string }[]
}

/** An alarm's state now (the live view, metrics, `republish`). */
export interface AlarmStatus extends PersistedAlarm {
  readonly taskId: string
  readonly severity: Alarm['severity']
  readonly category: Alarm['category']
  readonly description: string | undefined
}

export type AlarmCommand = 'acknowledge' | 'reset' | 'shelve' | 'unshelve'
export type CommandReply = { readonly ok: true } | { readonly ok: false; readonly reason: string }

export interface AlarmEngineOptions {
  readonly alarms: readonly Alarm[]
  readonly arbiter: OutputArbiter
  readonly now: () => number
  readonly onEvent?: ((event: AlarmEvent) => void) | undefined
  /** After any transition: the states to persist (runtime/alarms/store.ts). */
  readonly onChange?: ((alarms: PersistedAlarm[]) => void) | undefined
}

/**
 * Every alarm of the table, evaluated in the job of the task that owns it (after that job's
 * sample went through the pipeline), with the outputs its actions drive settled in the same job.
 * Commands (acknowledge, reset, shelve, unshelve) come through here too.
 */
export class AlarmEngine {
  readonly #alarms: ReadonlyMap<string, Alarm>
  readonly #byTask: ReadonlyMap<string, { readonly alarms: readonly Alarm[]; readonly outputs: readonly OutputState[] }>
  readonly #arbiter: OutputArbiter
  readonly #now: () => number
  readonly #onEvent: AlarmEngineOptions['onEvent']
  readonly #onChange: AlarmEngineOptions['onChange']

  constructor(options: AlarmEngineOptions) {
    this.#alarms = new Map(options.alarms.map(alarm => [alarm.id, alarm]))
    const tasks = new Map<string, Alarm[]>()
    for (const alarm of options.alarms) tasks.set(alarm.taskId, [...(tasks.get(alarm.taskId) ?? []), alarm])
    this.#byTask = new Map([...tasks].map(([taskId, alarms]) => [taskId, { alarms, outputs: options.arbiter.outputsOf(alarms) }]))
    this.#arbiter = options.arbiter
    this.#now = options.now
    this.#onEvent = options.onEvent
    this.#onChange = options.onChange
  }

  get ids(): string[] {
    return [...this.#alarms.keys()]
  }

  /**
   * Evaluates the alarms of one task and settles the outputs they drive. Returns undefined when
   * no output had to be written (the common case: nothing is allocated), else the writes.
   */
  evaluateTask(taskId: string): Promise<void> | undefined {
    const entry = this.#byTask.get(taskId)
    if (entry === undefined) return undefined
    const nowMs = this.#now()
    let changed = false
    for (const alarm of entry.alarms) {
      const transition = alarm.evaluate(nowMs)
      if (transition !== null) {
        changed = true
        this.#announce(alarm, transition)
      }
    }
    if (changed) this.#persist()
    return this.#arbiter.settle(entry.outputs)
  }

  /** A command from an operator (API, later MQTT). Resolves once any output it frees or holds is written. */
  async command(alarmId: string, command: AlarmCommand, options: { durationMs?: number } = {}): Promise<CommandReply> {
    const alarm = this.#alarms.get(alarmId)
    if (alarm === undefined) return { ok: false, reason: `no alarm "${alarmId}" (alarms: ${this.ids.join(', ') || 'none'})` }
    const nowMs = this.#now()
    let result: CommandResult
    if (command === 'shelve') {
      const durationMs = options.durationMs
      if (durationMs === undefined || !(durationMs > 0) || !Number.isFinite(durationMs)) return { ok: false, reason: 'shelve needs a duration: a positive, finite number of ms' }
      result = alarm.shelve(nowMs + durationMs, nowMs)
    } else result = command === 'acknowledge' ? alarm.acknowledge(nowMs) : command === 'reset' ? alarm.reset(nowMs) : alarm.unshelve(nowMs)
    if (!result.ok) return result
    if (result.transition !== null) {
      this.#announce(alarm, result.transition)
    }
    this.#persist() // an acknowledge inside a state changes the flag, not always the state
    await this.#arbiter.settle(this.#byTask.get(alarm.taskId)?.outputs ?? [])
    return { ok: true }
  }

  /**
   * Moves one threshold of an alarm whose table entry allows it (`adjustable`), within the bounds
   * the table gives. It applies from the alarm's next evaluation and lasts until the runtime
   * stops: the table stays the source of truth.
   */
  setThreshold(alarmId: string, name: ThresholdName, value: number): CommandReply {
    const alarm = this.#alarms.get(alarmId)
    if (alarm === undefined) return { ok: false, reason: `no alarm "${alarmId}" (alarms: ${this.ids.join(', ') || 'none'})` }
    const bounds = alarm.spec.adjustable?.[name]
    const thresholds = alarm.condition.thresholds
    if (bounds === undefined || thresholds === undefined) return { ok: false, reason: `the task table does not let ${name} of "${alarmId}" be adjusted` }
    if (!(value >= bounds.min && value <= bounds.max)) return { ok: false, reason: `${name} must lie within [${bounds.min}, ${bounds.max}] (the table's bounds), not ${value}` }
    const refused = thresholds.set(name, value)
    return refused === undefined ? { ok: true } : { ok: false, reason: refused }
  }

  /** The current thresholds of the alarms that have adjustable ones. */
  thresholds(): Record<string, Partial<Record<ThresholdName, number>>> {
    const found: Record<string, Partial<Record<ThresholdName, number>>> = {}
    for (const alarm of this.#alarms.values()) if (alarm.spec.adjustable !== undefined && alarm.condition.thresholds !== undefined) found[alarm.id] = alarm.condition.thresholds.current()
    return found
  }

  /**
   * Puts back the states saved before a restart and re-announces every alarm that was not
   * normal (cause 'restore'); a latched or active alarm holds its outputs again at once.
   */
  async restore(saved: ReadonlyMap<string, PersistedAlarm>): Promise<void> {
    const nowMs = this.#now()
    for (const [id, state] of saved) {
      const alarm = this.#alarms.get(id)
      if (alarm === undefined) continue // the table no longer has it
      const transition = alarm.restore(state, nowMs)
      if (transition !== null) this.#announce(alarm, transition)
    }
    await this.#arbiter.settle()
  }

  statuses(): AlarmStatus[] {
    return [...this.#alarms.values()].map(alarm => ({
      ...alarm.snapshot(),
      taskId: alarm.taskId,
      severity: alarm.severity,
      category: alarm.category,
      description: alarm.spec.description,
    }))
  }

  snapshots(): PersistedAlarm[] {
    return [...this.#alarms.values()].map(alarm => alarm.snapshot())
  }

  #announce(alarm: Alarm, transition: AlarmTransition): void {
    if (this.#onEvent === undefined) return
    const { from, to, cause, acknowledged, atMs } = transition
    const inputs = alarm.condition.cells.map(cell => {
      const trust = trustOf(cell, atMs)
      return cell.reason === undefined || trust === 'good' ? { channel: cell.key, value: cell.value, trust } : { channel: cell.key, value: cell.value, trust, reason: cell.reason }
    })
    this.#onEvent({ alarmId: alarm.id, taskId: alarm.taskId, severity: alarm.severity, category: alarm.category, from, to, cause, acknowledged, atMs, inputs })
  }

  #persist(): void {
    this.#onChange?.(this.snapshots())
  }
}
