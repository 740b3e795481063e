import * as z from 'zod'
import { ALARM_SEVERITIES, ALARM_STATES } from '../../tasks/vocabulary.ts'

/**
 * What `edgert monitor` makes of one MQTT message (the bodies of runtime/telemetry/messages.ts and
 * device-telemetry.ts). Pure, and it never throws: whatever arrives becomes a message or `bad` with
 * a one-line reason. Bodies may carry more keys than are read here (a newer device); an empty
 * payload on a retained topic is the retained state being deleted (MQTT-3.3.1-10), not an error.
 */
export type MonitorMessage =
  | { readonly kind: 'status'; readonly deviceId: string; readonly body: StatusBody }
  | { readonly kind: 'alarm'; readonly deviceId: string; readonly alarmId: string; readonly body: AlarmBody }
  | { readonly kind: 'alarm-event'; readonly deviceId: string; readonly alarmId: string; readonly body: AlarmEventBody }
  | { readonly kind: 'output'; readonly deviceId: string; readonly name: string; readonly body: OutputBody }
  | { readonly kind: 'metrics'; readonly deviceId: string; readonly body: MetricsBody }
  | { readonly kind: 'telemetry'; readonly deviceId: string }
  | { readonly kind: 'removed'; readonly deviceId: string; readonly what: 'status' | 'alarm' | 'output'; readonly key: string }
  | { readonly kind: 'bad'; readonly deviceId: string | undefined; readonly topic: string; readonly reason: string }

const severity = z.enum(ALARM_SEVERITIES)
const alarmState = z.enum(ALARM_STATES)
const category = z.enum(['value', 'technical'])
const isoTime = z.iso.datetime({ offset: true })

const Status = z.looseObject({
  deviceId: z.string(),
  bootId: z.string(),
  state: z.enum(['online', 'offline', 'safe-mode']),
  version: z.string(),
  startedAt: isoTime,
  detail: z.string().optional(),
})
export type StatusBody = z.infer<typeof Status>

const Alarm = z.looseObject({
  deviceId: z.string(),
  bootId: z.string(),
  alarmId: z.string(),
  taskId: z.string(),
  severity,
  category,
  state: alarmState,
  acknowledged: z.boolean(),
  // null after a `republish` command: the device no longer knows when the state began.
  since: isoTime.nullable(),
  republishedAt: isoTime.optional(),
  historical: z.literal(true).optional(),
})
export type AlarmBody = z.infer<typeof Alarm>

const AlarmEvent = z.looseObject({
  deviceId: z.string().optional(),
  seq: z.number().int(),
  alarmId: z.string(),
  taskId: z.string().optional(),
  from: alarmState,
  to: alarmState,
  cause: z.string(),
  severity,
  category: category.optional(),
  acknowledged: z.boolean().optional(),
  t: z.number().finite(),
  // JSON has no Infinity: the device sends null for it (messages.ts finiteOrNull).
  inputs: z.array(z.looseObject({ channel: z.string(), value: z.number().nullable(), trust: z.string(), reason: z.string().optional() })),
  historical: z.literal(true).optional(),
})
export type AlarmEventBody = z.infer<typeof AlarmEvent>

const Output = z.looseObject({
  deviceId: z.string().optional(),
  level: z.number().finite(),
  cause: z.string().optional(),
  by: z.string().optional(),
  t: z.number().finite(),
  historical: z.literal(true).optional(),
})
export type OutputBody = z.infer<typeof Output>

const count = z.number().finite().nonnegative()
const Metrics = z.looseObject({
  deviceId: z.string().optional(),
  t: z.number().finite(),
  tasks: z.array(z.looseObject({
    id: z.string(),
    released: count,
    completed: count,
    failed: count,
    deadlineMisses: count,
    skippedReleases: count,
    lateness: z.looseObject({ p99Ms: z.number().finite() }),
    responseTime: z.looseObject({ p99Ms: z.number().finite() }).optional(),
  })),
  outbox: z.looseObject({ depth: count, droppedTelemetry: count }),
  dispatcher: z.looseObject({ replayLagMs: count.optional() }).optional(),
  link: z.looseObject({ connected: z.boolean(), inFlight: count }).optional(),
})
export type MetricsBody = z.infer<typeof Metrics>

const SCHEMAS = { status: Status, alarm: Alarm, 'alarm-event': AlarmEvent, output: Output, metrics: Metrics } as const

interface Route {
  readonly deviceId: string
  readonly area: keyof typeof SCHEMAS | 'telemetry'
  /** The alarm id, output name or telemetry task; '' for status and metrics. */
  readonly key: string
}

/** Reads one message received under `<prefix>/…`. */
export function parseMonitorMessage(prefix: string, topic: string, payload: Uint8Array): MonitorMessage {
  const levels = topic.split('/')
  const bad = (reason: string): MonitorMessage => ({ kind: 'bad', deviceId: levels[1] === '' ? undefined : levels[1], topic, reason })
  const route = routeOf(prefix, levels)
  if (typeof route === 'string') return bad(route)
  const { deviceId, area, key } = route
  if (area === 'telemetry') return { kind: 'telemetry', deviceId }
  if (payload.length === 0) return area === 'status' || area === 'alarm' || area === 'output' ? { kind: 'removed', deviceId, what: area, key } : bad('empty payload')
  let body: unknown
  try {
    body = JSON.parse(Buffer.from(payload).toString('utf8'))
  } catch {
    return bad('not JSON')
  }
  const result = SCHEMAS[area].safeParse(body)
  if (!result.success) return bad(result.error.issues.slice(0, 2).map(issue => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; '))
  const ids = result.data as { deviceId?: string; alarmId?: string }
  if (ids.deviceId !== undefined && ids.deviceId !== deviceId) return bad(`deviceId "${ids.deviceId}" is not the topic's "${deviceId}"`)
  if ((area === 'alarm' || area === 'alarm-event') && ids.alarmId !== key) return bad(`alarmId "${ids.alarmId}" is not the topic's "${key}"`)
  switch (area) {
    case 'status':
      return { kind: 'status', deviceId, body: result.data as StatusBody }
    case 'alarm':
      return { kind: 'alarm', deviceId, alarmId: key, body: result.data as AlarmBody }
    case 'alarm-event':
      return { kind: 'alarm-event', deviceId, alarmId: key, body: result.data as AlarmEventBody }
    case 'output':
      return { kind: 'output', deviceId, name: key, body: result.data as OutputBody }
    case 'metrics':
      return { kind: 'metrics', deviceId, body: result.data as MetricsBody }
  }
}

/** `<prefix>/<device>/status | metrics | alarms/<id> | alarms/<id>/events | actuators/<name> | telemetry/<task>`, or why not. */
function routeOf(prefix: string, levels: readonly string[]): Route | string {
  const [first, deviceId = '', area, key = '', tail] = levels
  if (first !== prefix || deviceId === '') return `not a topic under ${prefix}/<device>/`
  if (levels.length === 3 && (area === 'status' || area === 'metrics')) return { deviceId, area, key: '' }
  if (key === '') return 'unexpected topic'
  if (levels.length === 4 && area === 'alarms') return { deviceId, area: 'alarm', key }
  if (levels.length === 4 && area === 'actuators') return { deviceId, area: 'output', key }
  if (levels.length === 4 && area === 'telemetry') return { deviceId, area: 'telemetry', key }
  if (levels.length === 5 && area === 'alarms' && tail === 'events') return { deviceId, area: 'alarm-event', key }
  return 'unexpected topic'
}
