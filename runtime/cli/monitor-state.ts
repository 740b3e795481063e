import type { DeviceState } from '../telemetry/messages.ts'
import type { AlarmBody, AlarmEventBody, MetricsBody, MonitorMessage, OutputBody, StatusBody } from './monitor-messages.ts'

/**
 * What `edgert monitor` knows of the devices on a broker: a pure reducer over parsed messages.
 * The state is immutable; `applyMessage` returns a new one and the notable changes it made, in
 * order. Times are wall-clock epoch ms: `receivedAtMs` is ours, the `…AtMs` from bodies the device's.
 */
export interface MonitorState {
  /** By device id; a Map, because ids come off the wire (a plain object would meet "__proto__"). */
  readonly devices: ReadonlyMap<string, DeviceView>
  /** Bad or unexpected payloads, every device together. */
  readonly badPayloads: number
}

export interface DeviceView {
  readonly id: string
  readonly status: StatusView | undefined
  readonly lastMessageAtMs: number
  /** Every message for this device, bad ones included; `telemetryMessages` is the part on telemetry/<task>. */
  readonly messages: number
  readonly telemetryMessages: number
  readonly badPayloads: number
  readonly lastProblem: string | undefined
  readonly alarms: ReadonlyMap<string, AlarmView>
  readonly outputs: ReadonlyMap<string, OutputView>
  readonly metrics: (MetricsBody & { readonly receivedAtMs: number }) | undefined
}

export interface StatusView {
  readonly state: DeviceState
  readonly bootId: string
  readonly version: string
  readonly startedAtMs: number
  readonly detail: string | undefined
}

export interface AlarmView {
  readonly alarmId: string
  readonly taskId: string | undefined
  readonly severity: AlarmBody['severity']
  readonly category: AlarmBody['category'] | undefined
  readonly state: AlarmBody['state']
  readonly acknowledged: boolean
  /** When the device entered this state (its `since`, or the event's `t`); null: not known (after a republish). */
  readonly sinceMs: number | null
  /** The device's time of the information applied; older backlog information is ignored (isOlder). */
  readonly infoAtMs: number | null
}

export type OutputView = OutputBody

export type MonitorChange =
  | { readonly kind: 'device'; readonly deviceId: string; readonly from: DeviceState | undefined; readonly to: StatusView; readonly newBoot: boolean }
  | { readonly kind: 'alarm'; readonly deviceId: string; readonly what: 'seen' | 'raised' | 'acknowledged' | 'cleared' | 'changed'; readonly from: AlarmBody['state'] | undefined; readonly alarm: AlarmView; readonly cause?: string; readonly inputs?: AlarmEventBody['inputs'] }
  | { readonly kind: 'output'; readonly deviceId: string; readonly name: string; readonly from: number | undefined; readonly to: OutputView }
  | { readonly kind: 'bad-payload'; readonly deviceId: string | undefined; readonly topic: string; readonly reason: string; readonly count: number }

export const EMPTY_MONITOR_STATE: MonitorState = { devices: new Map(), badPayloads: 0 }

export interface Applied {
  readonly state: MonitorState
  readonly changes: readonly MonitorChange[]
}

/** Folds one message into the state. */
export function applyMessage(state: MonitorState, message: MonitorMessage, receivedAtMs: number): Applied {
  const deviceId = message.deviceId
  if (deviceId === undefined) {
    const badPayloads = state.badPayloads + 1
    const { topic, reason } = message.kind === 'bad' ? message : { topic: '', reason: '' }
    return { state: { ...state, badPayloads }, changes: [{ kind: 'bad-payload', deviceId: undefined, topic, reason, count: badPayloads }] }
  }
  const before = state.devices.get(deviceId) ?? newDevice(deviceId, receivedAtMs)
  const seen: DeviceView = { ...before, lastMessageAtMs: receivedAtMs, messages: before.messages + 1 }
  const { device, changes } = applyToDevice(seen, message, receivedAtMs)
  const devices = new Map(state.devices).set(device.id, device)
  return { state: { devices, badPayloads: state.badPayloads + (message.kind === 'bad' ? 1 : 0) }, changes }
}

function newDevice(id: string, atMs: number): DeviceView {
  return { id, status: undefined, lastMessageAtMs: atMs, messages: 0, telemetryMessages: 0, badPayloads: 0, lastProblem: undefined, alarms: new Map(), outputs: new Map(), metrics: undefined }
}

function applyToDevice(device: DeviceView, message: MonitorMessage, receivedAtMs: number): { device: DeviceView; changes: MonitorChange[] } {
  const none = (next: DeviceView) => ({ device: next, changes: [] })
  switch (message.kind) {
    case 'telemetry':
      return none({ ...device, telemetryMessages: device.telemetryMessages + 1 })
    case 'metrics':
      return none({ ...device, metrics: { ...message.body, receivedAtMs } })
    case 'status':
      return applyStatus(device, message.body)
    case 'alarm':
      return applyAlarm(device, alarmFromState(message.body, device.alarms.get(message.alarmId)), message.body.historical === true)
    case 'alarm-event':
      return applyAlarm(device, alarmFromEvent(message.body, device.alarms.get(message.alarmId)), message.body.historical === true, message.body)
    case 'output':
      return applyOutput(device, message.name, message.body)
    case 'removed':
      return none(removed(device, message.what, message.key))
    case 'bad': {
      const badPayloads = device.badPayloads + 1
      const change: MonitorChange = { kind: 'bad-payload', deviceId: device.id, topic: message.topic, reason: message.reason, count: badPayloads }
      return { device: { ...device, badPayloads, lastProblem: `${message.topic}: ${message.reason}` }, changes: [change] }
    }
  }
}

function applyStatus(device: DeviceView, body: StatusBody): { device: DeviceView; changes: MonitorChange[] } {
  const status: StatusView = { state: body.state, bootId: body.bootId, version: body.version, startedAtMs: Date.parse(body.startedAt), detail: body.detail }
  const previous = device.status
  const newBoot = previous !== undefined && previous.bootId !== status.bootId
  const changed = previous?.state !== status.state || newBoot
  return { device: { ...device, status }, changes: changed ? [{ kind: 'device', deviceId: device.id, from: previous?.state, to: status, newBoot }] : [] }
}

function alarmFromState(body: AlarmBody, previous: AlarmView | undefined): AlarmView {
  const sinceMs = body.since === null ? null : Date.parse(body.since)
  const infoAtMs = sinceMs ?? (body.republishedAt === undefined ? null : Date.parse(body.republishedAt))
  // A republished state carries no `since`: keep the one we knew if the state is the same.
  const keptSinceMs = sinceMs ?? (previous?.state === body.state ? previous.sinceMs : null)
  return { alarmId: body.alarmId, taskId: body.taskId, severity: body.severity, category: body.category, state: body.state, acknowledged: body.acknowledged, sinceMs: keptSinceMs, infoAtMs }
}

function alarmFromEvent(body: AlarmEventBody, previous: AlarmView | undefined): AlarmView {
  // The device sends `acknowledged` with every event; an older one may not, so it follows from the state.
  const acknowledged = body.acknowledged ?? (body.to === 'active-acknowledged' || (body.to !== 'active-unacknowledged' && body.to !== 'returned-unacknowledged' && previous?.acknowledged === true))
  return { alarmId: body.alarmId, taskId: body.taskId ?? previous?.taskId, severity: body.severity, category: body.category ?? previous?.category, state: body.to, acknowledged, sinceMs: body.t, infoAtMs: body.t }
}

/**
 * A backlog message (`historical`, sent after an outage) older than what we know is stale. Live
 * ones always apply, whatever their time says: a Pi without an RTC may step its clock back.
 */
const isOlder = (atMs: number | null, thanMs: number | null): boolean => atMs !== null && thanMs !== null && atMs < thanMs

function applyAlarm(device: DeviceView, next: AlarmView, historical: boolean, event?: AlarmEventBody): { device: DeviceView; changes: MonitorChange[] } {
  const previous = device.alarms.get(next.alarmId)
  if (historical && previous !== undefined && isOlder(next.infoAtMs, previous.infoAtMs)) return { device, changes: [] }
  const alarms = new Map(device.alarms).set(next.alarmId, next)
  const from = previous?.state ?? event?.from
  const what = classify(from, previous === undefined && event === undefined, previous?.acknowledged, next)
  const updated = { ...device, alarms }
  if (what === undefined) return { device: updated, changes: [] }
  const change: MonitorChange = { kind: 'alarm', deviceId: device.id, what, from, alarm: next, ...(event === undefined ? {} : { cause: event.cause, inputs: event.inputs }) }
  return { device: updated, changes: [change] }
}

const isActive = (state: AlarmView['state'] | undefined): boolean => state === 'active-unacknowledged' || state === 'active-acknowledged'

/** Which notable change, if any: a repeat of what we know (the retained state after its event) is none. */
function classify(from: AlarmView['state'] | undefined, firstSeen: boolean, wasAcknowledged: boolean | undefined, next: AlarmView): Extract<MonitorChange, { kind: 'alarm' }>['what'] | undefined {
  if (firstSeen) return next.state === 'normal' ? undefined : 'seen'
  if (next.state === 'normal') return from === 'normal' ? undefined : 'cleared'
  if (isActive(next.state) && (from === undefined || from === 'normal' || from === 'returned-unacknowledged')) return 'raised'
  if (next.acknowledged && wasAcknowledged !== true) return 'acknowledged'
  return from === next.state ? undefined : 'changed'
}

function applyOutput(device: DeviceView, name: string, body: OutputBody): { device: DeviceView; changes: MonitorChange[] } {
  const previous = device.outputs.get(name)
  if (body.historical === true && previous !== undefined && isOlder(body.t, previous.t)) return { device, changes: [] }
  const outputs = new Map(device.outputs).set(name, body)
  const changed = previous?.level !== body.level
  return { device: { ...device, outputs }, changes: changed ? [{ kind: 'output', deviceId: device.id, name, from: previous?.level, to: body }] : [] }
}

function removed(device: DeviceView, what: 'status' | 'alarm' | 'output', key: string): DeviceView {
  if (what === 'status') return { ...device, status: undefined }
  if (what === 'alarm') {
    const alarms = new Map(device.alarms)
    alarms.delete(key)
    return { ...device, alarms }
  }
  const outputs = new Map(device.outputs)
  outputs.delete(key)
  return { ...device, outputs }
}

/** The alarms that are not normal, most severe first, then the longest in their state; unknown `since` last. */
export function activeAlarms(device: DeviceView): AlarmView[] {
  const rank = { high: 0, medium: 1, low: 2 } as const
  return [...device.alarms.values()]
    .filter(alarm => alarm.state !== 'normal')
    .sort((a, b) => rank[a.severity] - rank[b.severity] || (a.sinceMs ?? Infinity) - (b.sinceMs ?? Infinity) || a.alarmId.localeCompare(b.alarmId))
}
