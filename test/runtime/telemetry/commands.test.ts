import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { boot } from '../../../runtime/boot.ts'
import { loadConfig } from '../../../runtime/config/load.ts'
import { applyCommand } from '../../../runtime/rt-thread/runtime-command.ts'
import { CommandGate, COMMAND_NAMES, MAX_EXPIRY_AHEAD_MS, parseCommand } from '../../../runtime/telemetry/commands.ts'
import { VirtualClock } from '../../../runtime/virtual-clock.ts'

const bytes = (value: unknown): Uint8Array => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value))
const NOW = 1_800_000_000_000

describe('MQTT commands: parsing', () => {
  it('turns each valid command into its runtime action', () => {
    const expiresAt = NOW + 1000
    const cases: [string, Record<string, unknown>, unknown][] = [
      ['acknowledge', { alarm: 'fever' }, { kind: 'alarm', alarmId: 'fever', command: 'acknowledge' }],
      ['reset', { alarm: 'fever' }, { kind: 'alarm', alarmId: 'fever', command: 'reset' }],
      ['shelve', { alarm: 'fever', durationS: 90 }, { kind: 'alarm', alarmId: 'fever', command: 'shelve', durationMs: 90_000 }],
      ['unshelve', { alarm: 'fever' }, { kind: 'alarm', alarmId: 'fever', command: 'unshelve' }],
      ['set-threshold', { alarm: 'fever', threshold: 'setAbove', value: 38.5 }, { kind: 'threshold', alarmId: 'fever', name: 'setAbove', value: 38.5 }],
      ['pause', { task: 'imu' }, { kind: 'task', taskId: 'imu', action: 'pause' }],
      ['resume', { task: 'imu' }, { kind: 'task', taskId: 'imu', action: 'resume' }],
      ['republish', {}, { kind: 'republish' }],
    ]
    assert.deepEqual(cases.map(([name]) => name).sort(), [...COMMAND_NAMES].sort(), 'every command is covered')
    for (const [name, fields, action] of cases) {
      const parsed = parseCommand(name, bytes({ id: `${name}-1`, expiresAt, ...fields }))
      assert.ok(parsed.ok, `${name}: ${parsed.ok ? '' : parsed.reason}`)
      assert.deepEqual(parsed.command, { id: `${name}-1`, name, expiresAtWallMs: expiresAt, action })
    }
  })

  it('accepts an ISO expiry with an offset', () => {
    const parsed = parseCommand('acknowledge', bytes({ id: 'a', expiresAt: '2027-01-15T10:00:00+01:00', alarm: 'x' }))
    assert.ok(parsed.ok)
    assert.equal(parsed.command.expiresAtWallMs, Date.parse('2027-01-15T09:00:00Z'))
  })

  it('refuses bad bodies with a reason that names the field, and keeps the id when there is one', () => {
    const cases: [string, unknown, RegExp, string | null][] = [
      ['acknowledge', '{nope', /not JSON/, null],
      ['launch', { id: 'l', expiresAt: NOW }, /no command "launch"/, 'l'],
      ['acknowledge', { id: 'a', expiresAt: NOW }, /alarm:/, 'a'],
      ['shelve', { id: 's', expiresAt: NOW, alarm: 'x', durationS: -1 }, /durationS:/, 's'],
      ['shelve', { id: 's', expiresAt: NOW, alarm: 'x', durationS: 2 * 86_400 }, /durationS:/, 's'],
      ['set-threshold', { id: 't', expiresAt: NOW, alarm: 'x', threshold: 'above', value: 1 }, /threshold:/, 't'],
      ['acknowledge', { id: 'a', expiresAt: 'tomorrow', alarm: 'x' }, /expiresAt:/, 'a'],
      ['acknowledge', { id: 'a', expiresAt: NOW, alarm: 'x', extra: 1 }, /extra/, 'a'],
      ['republish', [], /\(body\)/, null],
    ]
    for (const [name, body, reason, id] of cases) {
      const parsed = parseCommand(name, bytes(body))
      assert.ok(!parsed.ok, `${name} ${JSON.stringify(body)} was accepted`)
      assert.match(parsed.reason, reason)
      assert.equal(parsed.id, id)
    }
  })

  it('never throws, whatever arrives (fuzzed names and payloads)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...COMMAND_NAMES), fc.string()), fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.jsonValue().map(bytes), fc.anything().map(value => bytes(JSON.stringify(value) ?? 'undefined'))), (name, payload) => {
        const parsed = parseCommand(name, payload)
        if (!parsed.ok) assert.ok(parsed.reason.length > 0)
      }),
      { numRuns: 3000 },
    )
  })
})

describe('MQTT commands: expiry and replays', () => {
  const command = (id: string, expiresAtWallMs: number) => ({ id, name: 'acknowledge' as const, expiresAtWallMs, action: { kind: 'alarm' as const, alarmId: 'x', command: 'acknowledge' as const } })

  it('admits a command once before its expiry, refuses replays, expired ones and far expiries', () => {
    let now = NOW
    const gate = new CommandGate(() => now)
    assert.equal(gate.admit(command('a', NOW + 5000)), undefined)
    assert.match(gate.admit(command('a', NOW + 5000)) ?? '', /already used/)
    assert.match(gate.admit(command('b', NOW - 1)) ?? '', /expired/)
    assert.match(gate.admit(command('c', NOW + MAX_EXPIRY_AHEAD_MS + 1)) ?? '', /ahead/)
    now = NOW + 6000
    assert.match(gate.admit(command('a', NOW + 5000)) ?? '', /expired/, 'a replay after the expiry is refused as expired')
  })
})

describe('MQTT commands: applied to a runtime', () => {
  it('fuzzed commands never change an output and every one gets a reply', async () => {
    const config = await loadConfig('sim', 'tasks/vehicle-braking.json')
    const clock = new VirtualClock()
    const runtime = await boot(config, { clock })
    runtime.start()
    await clock.advance(1000)
    const before = runtime.actuators.levels()
    const gate = new CommandGate(() => NOW)
    let replies = 0
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...COMMAND_NAMES), fc.dictionary(fc.constantFrom('id', 'expiresAt', 'alarm', 'task', 'durationS', 'threshold', 'value', 'x'), fc.oneof(fc.string(), fc.double(), fc.integer(), fc.constant(null))), async (name, body) => {
        const parsed = parseCommand(name, bytes(body))
        if (parsed.ok && gate.admit(parsed.command) === undefined && parsed.command.action.kind !== 'republish') await applyCommand(runtime, parsed.command.action)
        replies++
      }),
      { numRuns: 1000 },
    )
    assert.equal(replies, 1000)
    assert.deepEqual(runtime.actuators.levels(), before)
    const stopped = runtime.stop()
    await clock.advance(100)
    await stopped
  })

  it('pause and resume a task; unknown tasks and alarms are refused with the known names', async () => {
    const config = await loadConfig('sim', 'tasks/vehicle-braking.json')
    const clock = new VirtualClock()
    const runtime = await boot(config, { clock })
    runtime.start()
    assert.deepEqual(await applyCommand(runtime, { kind: 'task', taskId: 'imu', action: 'pause' }), { ok: true })
    assert.equal(runtime.scheduler.isPaused('imu'), true)
    assert.match((await applyCommand(runtime, { kind: 'task', taskId: 'imu', action: 'pause' }) as { reason: string }).reason, /already paused/)
    assert.deepEqual(await applyCommand(runtime, { kind: 'task', taskId: 'imu', action: 'resume' }), { ok: true })
    assert.match((await applyCommand(runtime, { kind: 'task', taskId: 'gps', action: 'pause' }) as { reason: string }).reason, /no task "gps" \(tasks: lidar, imu, close-range\)/)
    assert.match((await applyCommand(runtime, { kind: 'alarm', alarmId: 'nope', command: 'acknowledge' }) as { reason: string }).reason, /no alarm "nope"/)
    const stopped = runtime.stop()
    await clock.advance(100)
    await stopped
  })

  it('set-threshold moves a threshold within the adjustable bounds only', async () => {
    const { write } = await import('../../helpers/temp-files.ts').then(m => m.tempDir())
    const file = write('fever.json', {
      version: 1,
      scheduling: { policy: 'priority' },
      tasks: [{ id: 'temp', kind: 'sample', device: 'bodyTemp', periodMs: 1000, budgetMs: 2, alarms: [{ id: 'fever', severity: 'low', when: { channel: 'temperatureC', setAbove: 38, clearAbove: 37.7 }, adjustable: { setAbove: { min: 37.5, max: 39.5 } } }] }],
    })
    const clock = new VirtualClock()
    const runtime = await boot(await loadConfig('sim', file), { clock })
    assert.deepEqual(runtime.alarms.engine.setThreshold('fever', 'setAbove', 38.5), { ok: true })
    assert.deepEqual(runtime.alarms.engine.thresholds(), { fever: { setAbove: 38.5, clearAbove: 37.7 } })
    assert.match((runtime.alarms.engine.setThreshold('fever', 'setAbove', 40) as { reason: string }).reason, /within \[37.5, 39.5\]/)
    assert.match((runtime.alarms.engine.setThreshold('fever', 'clearAbove', 37) as { reason: string }).reason, /does not let clearAbove/)
    const stopped = runtime.stop()
    await clock.advance(100)
    await stopped
  })
})
