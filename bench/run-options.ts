import { parseArgs } from 'node:util'
import type { DecisionThread } from './decision-latency.ts'
import type { JitterLoad } from './jitter.ts'
import type { Policy } from '../runtime/scheduler/types.ts'
import type { YieldStyle } from './misses-run.ts'

/** The groups of bench/run.ts, in the order they run. */
export const GROUPS = ['dispatch', 'jitter', 'decision', 'alarms', 'micro', 'mqtt', 'demo', 'misses'] as const
export type Group = (typeof GROUPS)[number]

/** The command line of bench/run.ts, parsed and checked (bench/run.ts's header lists them). */
export interface RunOptions {
  readonly only: ReadonlySet<Group>
  readonly durationS: number
  readonly rounds: number
  readonly loads: readonly JitterLoad[]
  readonly variants: string | undefined
  readonly realtimePriority: number | null
  readonly json: string | undefined
  readonly dispatchTimeMs: number
  readonly decisionDurationS: number
  readonly decisionThreads: readonly DecisionThread[]
  readonly microTimeMs: number
  readonly outboxSeconds: number
  readonly mqttReadings: number
  readonly mqttRounds: number
  readonly mqttDurationS: number
  readonly demoDurationS: number
  readonly missesDurationS: number
  readonly missesPolicies: readonly Policy[]
  readonly missesYield: readonly YieldStyle[]
  /** SCHED_FIFO priorities (null: SCHED_OTHER) the misses table runs under, one run each. */
  readonly missesRealtime: readonly (number | null)[]
  /**
   * Regenerate docs/performance.md: after a run of every group, unless --no-report; after an
   * --only run only with --report (a partial run would drop the other groups from the page).
   */
  readonly report: boolean
  readonly reportOnly: string | undefined
}

function list<T extends string>(option: string, value: string, allowed: readonly T[]): T[] {
  const items = value.split(',').map(item => item.trim())
  for (const item of items) if (!(allowed as readonly string[]).includes(item)) throw new RangeError(`--${option}: unknown value "${item}" (${allowed.join(', ')})`)
  return items as T[]
}

function positive(option: string, value: string, integer = false): number {
  const number = Number(value)
  if (!(number > 0) || (integer && !Number.isInteger(number))) throw new RangeError(`--${option}: must be a positive ${integer ? 'integer' : 'number'}, got "${value}"`)
  return number
}

export function parseRunOptions(args: readonly string[]): RunOptions {
  const { values } = parseArgs({
    args: [...args],
    options: {
      only: { type: 'string', default: GROUPS.join(',') },
      duration: { type: 'string', default: '5' },
      rounds: { type: 'string', default: '5' },
      loads: { type: 'string', default: 'idle,gc,cpu' },
      variants: { type: 'string' },
      rt: { type: 'string' },
      json: { type: 'string' },
      'dispatch-time': { type: 'string', default: '1000' },
      'decision-duration': { type: 'string', default: '5' },
      'decision-threads': { type: 'string', default: 'main,rt' },
      'micro-time': { type: 'string', default: '500' },
      'outbox-seconds': { type: 'string', default: '1' },
      'mqtt-readings': { type: 'string', default: '300000' },
      'mqtt-rounds': { type: 'string', default: '3' },
      'mqtt-duration': { type: 'string', default: '6' },
      'demo-duration': { type: 'string', default: '60' },
      'misses-duration': { type: 'string', default: '60' },
      'misses-policies': { type: 'string', default: 'edf' },
      'misses-yield': { type: 'string', default: 'yield' },
      'misses-rt': { type: 'string' },
      'no-report': { type: 'boolean', default: false },
      report: { type: 'boolean', default: false },
      'report-only': { type: 'string' },
    },
  })
  const only = new Set(list('only', values.only, GROUPS))
  return {
    only,
    durationS: positive('duration', values.duration),
    rounds: positive('rounds', values.rounds, true),
    loads: list('loads', values.loads, ['idle', 'gc', 'cpu'] as const),
    variants: values.variants,
    realtimePriority: values.rt === undefined ? null : positive('rt', values.rt, true),
    json: values.json,
    dispatchTimeMs: positive('dispatch-time', values['dispatch-time']),
    decisionDurationS: positive('decision-duration', values['decision-duration']),
    decisionThreads: list('decision-threads', values['decision-threads'], ['main', 'rt'] as const),
    microTimeMs: positive('micro-time', values['micro-time']),
    outboxSeconds: positive('outbox-seconds', values['outbox-seconds']),
    mqttReadings: positive('mqtt-readings', values['mqtt-readings'], true),
    mqttRounds: positive('mqtt-rounds', values['mqtt-rounds'], true),
    mqttDurationS: positive('mqtt-duration', values['mqtt-duration']),
    demoDurationS: positive('demo-duration', values['demo-duration']),
    missesDurationS: positive('misses-duration', values['misses-duration']),
    missesPolicies: list('misses-policies', values['misses-policies'], ['edf', 'priority'] as const),
    missesRealtime: (values['misses-rt'] ?? (values.rt === undefined ? 'off,50' : values.rt)).split(',').map(item => (item.trim() === 'off' ? null : positive('misses-rt', item.trim(), true))),
    missesYield: list('misses-yield', values['misses-yield'], ['yield', 'turn'] as const),
    report: !values['no-report'] && (values.report || only.size === GROUPS.length),
    reportOnly: values['report-only'],
  }
}
