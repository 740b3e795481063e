import type { Level } from '../../drivers/hal/gpio.ts'
import type { Alarm } from '../alarms/alarm.ts'
import type { ActuatorCause, Actuators } from '../actuators.ts'

/** Default for `"failSafe": true`: this many untrusted evaluations in a row trip it. */
export const FAIL_SAFE_AFTER_SAMPLES = 2

/** One alarm action on one output. */
interface Claim {
  readonly alarm: Alarm
  readonly level: Level
  readonly holdUntil: 'clear' | 'acknowledge'
  /** 0: the alarm is not fail-safe. */
  readonly failSafeAfter: number
}

export interface OutputState {
  readonly name: string
  readonly safe: Level
  /** Where it rests when no alarm holds it (the tables agree on it: config binding). */
  readonly clearLevel: Level
  readonly claims: readonly Claim[]
  /** A remote command's level (telemetry issue), until released. */
  command: Level | null
  /** The newest decision (decide()). */
  level: Level
  cause: ActuatorCause
  by: string | undefined
  /** The decision is a high-severity alarm's. */
  high: boolean
}

export type CommandOutcome = { readonly ok: true } | { readonly ok: false; readonly reason: string }

const SEVERITY_RANK: Readonly<Record<Alarm['severity'], number>> = { high: 3, medium: 2, low: 1 }

/**
 * Decides each output's level from the alarms that drive it (ARCHITECTURE.md: "actuator action,
 * same job, before anything is published"), in this order:
 * 1. a fail-safe alarm whose inputs could not be trusted for its afterSamples evaluations in a
 *    row: the output's safe level;
 * 2. an active (or latched) high-severity alarm: its level — no remote command overrides it
 *    (the interlock);
 * 3. a remote command;
 * 4. an active medium- or low-severity alarm: the most severe one's level;
 * 5. no alarm holds it: its resting level (clearLevel), once every alarm that drives it has
 *    decided at least once — until then it stays where boot put it, at its safe level.
 * A `holdUntil: "acknowledge"` action lets go when its alarm is acknowledged (a buzzer).
 */
export class OutputArbiter {
  readonly #actuators: Actuators
  readonly #outputs: ReadonlyMap<string, OutputState>
  readonly #byAlarm: ReadonlyMap<Alarm, readonly OutputState[]>

  constructor(actuators: Actuators, alarms: readonly Alarm[]) {
    this.#actuators = actuators
    const outputs = new Map<string, { claims: Claim[]; clearLevel: Level }>()
    const byAlarm = new Map<Alarm, string[]>()
    for (const alarm of alarms) {
      const failSafe = alarm.spec.failSafe
      const failSafeAfter = failSafe === false ? 0 : failSafe === true ? FAIL_SAFE_AFTER_SAMPLES : failSafe.afterSamples
      for (const action of alarm.spec.actions) {
        const clearLevel: Level = action.clearLevel ?? (action.level === 1 ? 0 : 1)
        const entry = outputs.get(action.output) ?? { claims: [], clearLevel }
        entry.claims.push({ alarm, level: action.level, holdUntil: action.holdUntil, failSafeAfter })
        outputs.set(action.output, entry)
        byAlarm.set(alarm, [...(byAlarm.get(alarm) ?? []), action.output])
      }
    }
    this.#outputs = new Map(
      [...outputs].map(([name, { claims, clearLevel }]) => [name, { name, safe: actuators.safeLevel(name), clearLevel, claims, command: null, level: actuators.safeLevel(name), cause: 'boot', by: undefined, high: false }]),
    )
    this.#byAlarm = new Map([...byAlarm].map(([alarm, names]) => [alarm, names.map(name => this.#outputs.get(name)!)]))
  }

  /** The outputs `alarms` drive (computed once per task, so settle() allocates nothing). */
  outputsOf(alarms: readonly Alarm[]): readonly OutputState[] {
    return [...new Set(alarms.flatMap(alarm => this.#byAlarm.get(alarm) ?? []))]
  }

  /**
   * Brings `outputs` to their decided levels. Returns undefined when nothing had to be written
   * (the common case, no allocation), else the writes' promise.
   */
  settle(outputs: readonly OutputState[] = [...this.#outputs.values()]): Promise<void> | undefined {
    let writes: Promise<void>[] | undefined
    for (const output of outputs) {
      if (!decide(output) || output.level === this.#actuators.level(output.name)) continue
      ;(writes ??= []).push(this.#actuators.write(output.name, output.level, output.cause, output.by))
    }
    if (writes === undefined) return undefined
    return writes.length === 1 ? writes[0] : Promise.all(writes).then(() => undefined)
  }

  /**
   * A remote command for an output (`null` hands it back to the alarms). Refused while a
   * high-severity alarm holds the output at another level, or while it is held safe.
   */
  command(name: string, level: Level | null): { outcome: CommandOutcome; writing: Promise<void> | undefined } {
    const output = this.#outputs.get(name)
    if (output === undefined) {
      if (!this.#actuators.has(name)) return { outcome: { ok: false, reason: `no output "${name}" (outputs: ${this.#actuators.names.join(', ') || 'none'})` }, writing: undefined }
      if (level !== null) return { outcome: { ok: true }, writing: this.#actuators.write(name, level, 'command') }
      return { outcome: { ok: true }, writing: undefined }
    }
    const previous = output.command
    output.command = null
    const decided = decide(output)
    output.command = previous
    if (level !== null && decided && output.level !== level) {
      if (output.cause === 'fail-safe') return { outcome: { ok: false, reason: `"${name}" is held at its safe level (${output.safe}): the inputs of fail-safe alarm "${output.by}" cannot be trusted` }, writing: undefined }
      if (output.high) return { outcome: { ok: false, reason: `"${name}" is held at ${output.level} by high-severity alarm "${output.by}" (interlock)` }, writing: undefined }
    }
    output.command = level
    return { outcome: { ok: true }, writing: this.settle([output]) }
  }
}

/**
 * Decides `output` into its decision fields; false when nothing is decided yet (leave the
 * output where it is). Writes fields instead of returning an object: settle() must not allocate.
 */
function decide(output: OutputState): boolean {
  let failSafe: Claim | undefined
  let holder: Claim | undefined
  let decided = true
  for (const claim of output.claims) {
    const { alarm } = claim
    if (failSafe === undefined && claim.failSafeAfter > 0 && alarm.untrustedRun >= claim.failSafeAfter) failSafe = claim
    if (alarm.holding && !(claim.holdUntil === 'acknowledge' && alarm.acknowledged)) {
      if (holder === undefined || SEVERITY_RANK[alarm.severity] > SEVERITY_RANK[holder.alarm.severity]) holder = claim
    }
    if (!alarm.decided) decided = false
  }
  output.high = false
  output.by = undefined
  if (failSafe !== undefined) {
    output.level = output.safe
    output.cause = 'fail-safe'
    output.by = failSafe.alarm.id
  } else if (holder !== undefined && holder.alarm.severity === 'high') {
    output.level = holder.level
    output.cause = 'alarm'
    output.by = holder.alarm.id
    output.high = true
  } else if (output.command !== null) {
    output.level = output.command
    output.cause = 'command'
  } else if (holder !== undefined) {
    output.level = holder.level
    output.cause = 'alarm'
    output.by = holder.alarm.id
  } else if (decided) {
    output.level = output.clearLevel
    output.cause = 'clear'
  } else return false
  return true
}
