import { activeAlarms, type AlarmView, type DeviceView, type MonitorChange, type MonitorState } from './monitor-state.ts'
import { formatNumber, textTable } from './table.ts'

/** What `edgert monitor` says about its own connection, above the devices. */
export type MonitorLink =
  | { readonly state: 'connecting' }
  | { readonly state: 'connected' }
  | { readonly state: 'offline'; readonly reason: string; readonly retryInMs: number }

export interface MonitorHeader {
  readonly url: string
  readonly link: MonitorLink
  /** The filters subscribed to, e.g. `edgert/+/…`, for the "nothing yet" line. */
  readonly topics: string
}

/** Bad payloads printed as lines per device (non-TTY) before they are only counted. */
export const BAD_PAYLOAD_LINES = 3

/** A replay lag below this is the ordinary wait for a PUBACK, not a backlog worth a word. */
const BACKLOG_SHOWN_MS = 1000

/**
 * The whole view as plain text (pure): a header, then per device its status, its alarms that are
 * not normal (most severe first, then the longest in their state), outputs, task health and
 * outbox from the newest metrics, and the bad payloads. Ages are from `nowMs` (wall clock).
 */
export function monitorView(state: MonitorState, header: MonitorHeader, nowMs: number): string {
  const devices = [...state.devices.values()].sort((a, b) => a.id.localeCompare(b.id))
  const count = `${devices.length} device${devices.length === 1 ? '' : 's'}, ${state.badPayloads} bad payload${state.badPayloads === 1 ? '' : 's'}`
  const head = `edgert monitor — ${linkText(header)} — ${count}`
  if (devices.length === 0) return `${head}\n\nno device has published on ${header.topics} yet`
  return [head, ...devices.map(device => deviceBlock(device, nowMs))].join('\n\n')
}

export function linkText({ url, link }: MonitorHeader): string {
  if (link.state === 'connecting') return `connecting to ${url}…`
  if (link.state === 'connected') return `connected to ${url}`
  return `${url} unreachable (${link.reason}); retrying in ${(link.retryInMs / 1000).toFixed(1)} s`
}

function deviceBlock(device: DeviceView, nowMs: number): string {
  const lines = [`${device.id}: ${statusText(device, nowMs)}`]
  const alarms = activeAlarms(device)
  if (alarms.length === 0) lines.push(`  alarms: none active${device.alarms.size === 0 ? '' : ` (${device.alarms.size} known, all normal)`}`)
  else lines.push('  alarms:', indent(textTable(['severity', 'alarm', 'state', 'for', 'ack', 'kind'], alarms.map(alarm => alarmRow(alarm, nowMs)))))
  if (device.outputs.size > 0) lines.push(`  outputs: ${[...device.outputs].sort(([a], [b]) => a.localeCompare(b)).map(([name, out]) => `${name}=${formatNumber(out.level)}${out.cause === undefined ? '' : ` (${out.cause}${out.by === undefined ? '' : ` ${out.by}`})`}`).join('  ')}`)
  lines.push(...metricsLines(device, nowMs))
  if (device.badPayloads > 0) lines.push(`  bad payloads: ${device.badPayloads}; the last: ${device.lastProblem ?? '?'}`)
  return lines.join('\n')
}

function statusText(device: DeviceView, nowMs: number): string {
  const messages = `${device.messages} message${device.messages === 1 ? '' : 's'} (${device.telemetryMessages} telemetry)`
  const last = `last message ${formatAge(nowMs - device.lastMessageAtMs)} ago`
  const status = device.status
  if (status === undefined) return `status unknown — ${last} — ${messages}`
  const detail = status.detail === undefined ? '' : ` (${status.detail})`
  const boot = `boot ${status.bootId.slice(0, 8)}, version ${status.version}, started ${Number.isNaN(status.startedAtMs) ? '?' : `${formatAge(nowMs - status.startedAtMs)} ago`}`
  return `${status.state}${detail} — ${last} — ${boot} — ${messages}`
}

function alarmRow(alarm: AlarmView, nowMs: number): string[] {
  return [alarm.severity, alarm.alarmId, alarm.state, alarm.sinceMs === null ? '?' : formatAge(nowMs - alarm.sinceMs), alarm.acknowledged ? 'yes' : 'no', alarm.category ?? '?']
}

function metricsLines(device: DeviceView, nowMs: number): string[] {
  const metrics = device.metrics
  if (metrics === undefined) return ['  tasks: no metrics yet (a device sends them every 5 s)']
  const rows = metrics.tasks.map(task => [task.id, task.deadlineMisses, task.lateness.p99Ms, task.failed, task.skippedReleases, task.responseTime?.p99Ms ?? '?'])
  const { outbox, dispatcher, link } = metrics
  const lagMs = dispatcher?.replayLagMs ?? 0
  const lag = lagMs < BACKLOG_SHOWN_MS ? '' : `, replaying a backlog ${formatAge(lagMs)} old`
  const linkText = link === undefined ? '' : `; its link ${link.connected ? 'connected' : 'DOWN'}, ${link.inFlight} in flight`
  return [
    `  tasks (metrics ${formatAge(nowMs - metrics.receivedAtMs)} ago):`,
    indent(textTable(['task', 'missed', 'late p99 ms', 'failed', 'skipped', 'resp p99 ms'], rows)),
    `  outbox: ${outbox.depth} waiting, ${outbox.droppedTelemetry} telemetry dropped${lag}${linkText}`,
  ]
}

const indent = (text: string): string => text.split('\n').map(line => `    ${line}`).join('\n')

/**
 * One line for a notable change (the non-TTY output), stamped with `nowMs` as ISO time; undefined
 * for a bad payload beyond the first BAD_PAYLOAD_LINES of its device, which is only counted.
 */
export function changeLine(change: MonitorChange, nowMs: number): string | undefined {
  const line = changeText(change, nowMs)
  return line === undefined ? undefined : `${new Date(nowMs).toISOString()} ${line}`
}

function changeText(change: MonitorChange, nowMs: number): string | undefined {
  switch (change.kind) {
    case 'device': {
      const { to } = change
      const detail = [to.detail, change.from === undefined || change.from === to.state ? undefined : `was ${change.from}`].filter(part => part !== undefined).join('; ')
      const boot = `${change.newBoot ? 'new boot' : 'boot'} ${to.bootId.slice(0, 8)}, version ${to.version}`
      return `${change.deviceId} device ${to.state}${detail === '' ? '' : ` (${detail})`} — ${boot}`
    }
    case 'alarm':
      return `${change.deviceId} alarm ${change.alarm.alarmId} (${[change.alarm.severity, change.alarm.category].filter(part => part !== undefined).join(', ')}) ${alarmChangeText(change, nowMs)}`
    case 'output': {
      const cause = change.to.cause === undefined ? '' : ` (${change.to.cause}${change.to.by === undefined ? '' : ` ${change.to.by}`})`
      return `${change.deviceId} output ${change.name} ${change.from === undefined ? '=' : `${formatNumber(change.from)} →`} ${formatNumber(change.to.level)}${cause}`
    }
    case 'bad-payload': {
      if (change.count > BAD_PAYLOAD_LINES) return undefined
      const more = change.count === BAD_PAYLOAD_LINES ? ' (further ones are only counted)' : ''
      return `${change.deviceId ?? '?'} bad payload on ${change.topic}: ${change.reason}${more}`
    }
  }
}

function alarmChangeText(change: Extract<MonitorChange, { kind: 'alarm' }>, nowMs: number): string {
  const { alarm } = change
  const inputs = (change.inputs ?? []).map(input => `${input.channel} ${input.trust === 'good' && input.value !== null ? formatNumber(input.value) : input.trust}`).join(', ')
  const cause = change.cause === undefined || change.cause === 'condition' ? '' : ` (${change.cause})`
  switch (change.what) {
    case 'raised':
      return `RAISED: ${alarm.state}${cause}${inputs === '' ? '' : ` — ${inputs}`}`
    case 'acknowledged':
      return `acknowledged: ${alarm.state}`
    case 'cleared':
      return `cleared${cause}${inputs === '' ? '' : ` — ${inputs}`}`
    case 'seen':
      return `${alarm.state} for ${alarm.sinceMs === null ? '?' : formatAge(nowMs - alarm.sinceMs)}, ${alarm.acknowledged ? 'acknowledged' : 'not acknowledged'}`
    case 'changed':
      return `${alarm.state} (was ${change.from ?? '?'})${cause}`
  }
}

/** "0.4 s", "12 s", "3m 04s", "2h 05m", "3d 4h"; negative (clocks apart) as "0 s". */
export function formatAge(ms: number): string {
  const s = Math.max(0, ms) / 1000
  if (s < 10) return `${s.toFixed(1)} s`
  if (s < 60) return `${Math.floor(s)} s`
  const two = (n: number): string => String(Math.floor(n)).padStart(2, '0')
  if (s < 3600) return `${Math.floor(s / 60)}m ${two(s % 60)}s`
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${two((s % 3600) / 60)}m`
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`
}

/** A frame for a terminal: home, each line erased to its end, then the screen below (less flicker than clearing it all). */
export function ttyFrame(text: string): string {
  return `\x1b[H${text.split('\n').map(line => `${line}\x1b[K`).join('\n')}\x1b[J`
}
