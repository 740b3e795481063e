import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseMonitorMessage } from '../../../runtime/cli/monitor-messages.ts'
import { applyMessage, EMPTY_MONITOR_STATE, type MonitorChange, type MonitorState } from '../../../runtime/cli/monitor-state.ts'
import { changeLine, formatAge, monitorView, type MonitorHeader } from '../../../runtime/cli/monitor-view.ts'

const T0 = Date.parse('2030-01-01T12:00:00.000Z')
const iso = (ms: number): string => new Date(ms).toISOString()
const HEADER: MonitorHeader = { url: 'mqtt://broker:1883', link: { state: 'connected' }, topics: 'edgert/+/…' }
const identity = { deviceId: 'pi-1', bootId: 'b00t0001-aaaa', version: '0.1.0' }

/** Feeds messages as the command does (parse, then reduce) and keeps every change's line. */
class Feed {
  state: MonitorState = EMPTY_MONITOR_STATE
  lines: string[] = []
  changes: MonitorChange[] = []

  send(topic: string, body: unknown, atMs: number): this {
    const payload = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body))
    const applied = applyMessage(this.state, parseMonitorMessage('edgert', topic, payload), atMs)
    this.state = applied.state
    this.changes.push(...applied.changes)
    for (const change of applied.changes) {
      const line = changeLine(change, atMs)
      if (line !== undefined) this.lines.push(line)
    }
    return this
  }

  status(state: string, atMs: number, extra: object = {}): this {
    return this.send('edgert/pi-1/status', { ...identity, state, startedAt: iso(T0 - 60_000), ...extra }, atMs)
  }

  /** A transition as the device sends it: the event, then the retained state. */
  transition(alarmId: string, severity: string, from: string, to: string, cause: string, acknowledged: boolean, atMs: number): this {
    const inputs = [{ channel: 'lidar.timeToCollisionS', value: 0.98, trust: 'good' }]
    this.send(`edgert/pi-1/alarms/${alarmId}/events`, { ...identity, seq: 1, alarmId, taskId: 'lidar', severity, category: 'value', from, to, cause, acknowledged, t: atMs, inputs }, atMs)
    return this.send(`edgert/pi-1/alarms/${alarmId}`, { ...identity, alarmId, taskId: 'lidar', severity, category: 'value', state: to, acknowledged, since: iso(atMs) }, atMs + 1)
  }

  view(nowMs: number): string {
    return monitorView(this.state, HEADER, nowMs)
  }
}

const rowOf = (view: string, alarmId: string): string[] | undefined => view.split('\n').find(line => line.includes(` ${alarmId} `))?.trim().split(/\s{2,}/)

describe('edgert monitor: state and view', () => {
  it('shows an alarm raised, then acknowledged, then cleared, with one line per change', () => {
    const feed = new Feed().status('online', T0)
    feed.transition('collision-imminent', 'high', 'normal', 'active-unacknowledged', 'condition', false, T0 + 1000)
    assert.deepEqual(rowOf(feed.view(T0 + 13_000), 'collision-imminent'), ['high', 'collision-imminent', 'active-unacknowledged', '12 s', 'no', 'value'])

    feed.transition('collision-imminent', 'high', 'active-unacknowledged', 'active-acknowledged', 'acknowledge', true, T0 + 20_000)
    assert.deepEqual(rowOf(feed.view(T0 + 25_000), 'collision-imminent'), ['high', 'collision-imminent', 'active-acknowledged', '5.0 s', 'yes', 'value'])

    feed.transition('collision-imminent', 'high', 'active-acknowledged', 'normal', 'condition', true, T0 + 30_000)
    const cleared = feed.view(T0 + 31_000)
    assert.equal(rowOf(cleared, 'collision-imminent'), undefined)
    assert.match(cleared, /alarms: none active \(1 known, all normal\)/)

    // The retained state after its event says nothing new: three transitions, three lines (after the device's).
    assert.deepEqual(feed.lines.slice(1).map(line => line.slice(25)), [
      'pi-1 alarm collision-imminent (high, value) RAISED: active-unacknowledged — lidar.timeToCollisionS 0.98',
      'pi-1 alarm collision-imminent (high, value) acknowledged: active-acknowledged',
      'pi-1 alarm collision-imminent (high, value) cleared — lidar.timeToCollisionS 0.98',
    ])
    assert.equal(feed.lines[1]!.slice(0, 24), iso(T0 + 1000))
  })

  it('shows a device going offline, with its last will\'s detail and the age of its last message', () => {
    const feed = new Feed().status('online', T0).status('offline', T0 + 5000, { detail: 'connection lost' })
    assert.match(feed.view(T0 + 17_000), /^pi-1: offline \(connection lost\) — last message 12 s ago — boot b00t0001, version 0.1.0, started 1m 17s ago/m)
    assert.deepEqual(feed.lines.map(line => line.slice(25)), [
      'pi-1 device online — boot b00t0001, version 0.1.0',
      'pi-1 device offline (connection lost; was online) — boot b00t0001, version 0.1.0',
    ])
    feed.status('online', T0 + 30_000, { bootId: 'b00t0002-bbbb' })
    assert.equal(feed.lines.at(-1)!.slice(25), 'pi-1 device online (was offline) — new boot b00t0002, version 0.1.0')
  })

  it('counts bad and unexpected payloads, shows the last, and prints only the first few', () => {
    const feed = new Feed().status('online', T0)
    feed.send('edgert/pi-1/metrics', '{not json', T0 + 1)
    feed.send('edgert/pi-1/alarms/overheat', { ...identity, alarmId: 'overheat', taskId: 't', severity: 'urgent', category: 'value', state: 'latched', acknowledged: false, since: null }, T0 + 2)
    feed.send('edgert/pi-1/status', { ...identity, deviceId: 'pi-2', state: 'online', startedAt: iso(T0) }, T0 + 3)
    feed.send('edgert/pi-1/alarms/a/b/c', {}, T0 + 4)
    const view = feed.view(T0 + 10)
    assert.match(view, /— 1 device, 4 bad payloads$/m)
    assert.match(view, /bad payloads: 4; the last: edgert\/pi-1\/alarms\/a\/b\/c: unexpected topic/)
    assert.match(view, /^pi-1: online/m, 'a bad status does not replace the good one')
    assert.deepEqual(feed.lines.slice(1).map(line => line.slice(25)), [
      'pi-1 bad payload on edgert/pi-1/metrics: not JSON',
      'pi-1 bad payload on edgert/pi-1/alarms/overheat: severity: Invalid option: expected one of "high"|"medium"|"low"',
      'pi-1 bad payload on edgert/pi-1/status: deviceId "pi-2" is not the topic\'s "pi-1" (further ones are only counted)',
    ])
  })

  it('sorts active alarms by severity, then the longest in its state; a republished state keeps its since', () => {
    const feed = new Feed()
    const state = (alarmId: string, severity: string, since: string | null, extra: object = {}) =>
      feed.send(`edgert/pi-1/alarms/${alarmId}`, { ...identity, alarmId, taskId: 't', severity, category: 'technical', state: 'latched', acknowledged: false, since, ...extra }, T0)
    state('low-old', 'low', iso(T0 - 50_000))
    state('high-new', 'high', iso(T0 - 1000))
    state('high-old', 'high', iso(T0 - 9000))
    state('medium', 'medium', iso(T0 - 3000))
    state('high-old', 'high', null, { republishedAt: iso(T0) })
    const rows = feed.view(T0).split('\n').filter(line => line.includes('latched')).map(line => line.trim().split(/\s{2,}/).slice(0, 4))
    assert.deepEqual(rows, [
      ['high', 'high-old', 'latched', '9.0 s'],
      ['high', 'high-new', 'latched', '1.0 s'],
      ['medium', 'medium', 'latched', '3.0 s'],
      ['low', 'low-old', 'latched', '50 s'],
    ])
  })

  it('ignores a replayed (historical) state older than what it knows; an empty retained payload removes the state', () => {
    const feed = new Feed().transition('overheat', 'medium', 'normal', 'active-unacknowledged', 'condition', false, T0 + 5000)
    feed.send('edgert/pi-1/alarms/overheat', { historical: true, ...identity, alarmId: 'overheat', taskId: 'lidar', severity: 'medium', category: 'value', state: 'normal', acknowledged: true, since: iso(T0) }, T0 + 6000)
    assert.equal(rowOf(feed.view(T0 + 7000), 'overheat')?.[2], 'active-unacknowledged')
    feed.send('edgert/pi-1/alarms/overheat', '', T0 + 8000)
    assert.match(feed.view(T0 + 8000), /alarms: none active$/m)
  })

  it('shows outputs, task health and the outbox from the newest metrics, and counts telemetry', () => {
    const feed = new Feed().status('online', T0)
    feed.send('edgert/pi-1/actuators/brake', { ...identity, level: 0, t: T0 }, T0)
    feed.send('edgert/pi-1/actuators/brake', { ...identity, level: 1, cause: 'alarm', by: 'collision-imminent', t: T0 + 1 }, T0 + 1)
    feed.send('edgert/pi-1/telemetry/lidar', { readings: [] }, T0 + 2)
    const histogram = { count: 10, p50Ms: 0.1, p99Ms: 0.75, maxMs: 1, meanMs: 0.2 }
    const task = { id: 'lidar', released: 100, completed: 99, failed: 1, aborted: 0, deadlineMisses: 2, skippedReleases: 0, lateness: histogram, responseTime: histogram }
    feed.send('edgert/pi-1/metrics', { ...identity, t: T0, tasks: [task], outbox: { depth: 3, bytes: 900, droppedTelemetry: 7 }, dispatcher: { replayLagMs: 65_000 }, link: { connected: true, inFlight: 1 } }, T0 + 3)
    const view = feed.view(T0 + 2003)
    assert.match(view, /outputs: brake=1 \(alarm collision-imminent\)/)
    assert.match(view, /tasks \(metrics 2.0 s ago\):\n\s+task\s+missed\s+late p99 ms\s+failed\s+skipped\s+resp p99 ms\n\s+lidar\s+2\s+0.75\s+1\s+0\s+0.75/)
    assert.match(view, /outbox: 3 waiting, 7 telemetry dropped, replaying a backlog 1m 05s old; its link connected, 1 in flight/)
    assert.match(view, /5 messages \(1 telemetry\)/)
    assert.deepEqual(feed.lines.slice(1).map(line => line.slice(25)), ['pi-1 output brake = 0', 'pi-1 output brake 0 → 1 (alarm collision-imminent)'])
  })

  it('takes device ids as data, even "__proto__"', () => {
    const feed = new Feed().send('edgert/__proto__/status', { ...identity, deviceId: '__proto__', state: 'online', startedAt: iso(T0) }, T0)
    assert.match(feed.view(T0), /^__proto__: online/m)
  })

  it('says it is connecting, and when nothing has published yet', () => {
    assert.equal(monitorView(EMPTY_MONITOR_STATE, { ...HEADER, link: { state: 'connecting' } }, T0), 'edgert monitor — connecting to mqtt://broker:1883… — 0 devices, 0 bad payloads\n\nno device has published on edgert/+/… yet')
  })

  it('formats ages from tenths of a second to days', () => {
    assert.deepEqual([-5, 400, 12_300, 184_000, 7_500_000, 300_000_000].map(formatAge), ['0.0 s', '0.4 s', '12 s', '3m 04s', '2h 05m', '3d 11h'])
  })
})
