import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Reading } from '../../drivers/sensors/sensor.ts'
import { readScenarioFile } from '../../drivers/sim/scenario/parse.ts'
import type { Scenario } from '../../drivers/sim/scenario/schema.ts'
import type { VehicleReport } from '../../drivers/sim/world/vehicle.ts'
import type { AlarmEvent } from '../../runtime/alarms/engine.ts'
import { boot } from '../../runtime/boot.ts'
import { loadConfig } from '../../runtime/config/load.ts'
import { VirtualClock } from '../../runtime/virtual-clock.ts'

// boards/sim.json: the brake is BCM 22 (safe 1 = braking).
const BRAKE = 22
const LIDAR_PERIOD_MS = 10
const CLOSE_RANGE_PERIOD_MS = 50

interface LidarSample {
  readonly atMs: number
  readonly distanceM: number
  readonly quality: Reading['quality']
  readonly fault: string | undefined
}

/** Boots tasks/vehicle-braking.json on the sim board with a scenario, recording what a test needs. */
async function drive(scenario: Scenario) {
  const config = await loadConfig('sim', 'tasks/vehicle-braking.json')
  const clock = new VirtualClock()
  const lidar: LidarSample[] = []
  const alarms: AlarmEvent[] = []
  const failures: { taskId: string; atMs: number; kind: string }[] = []
  const runtime = await boot(config, {
    clock,
    scenario,
    onAlarm: event => alarms.push(event),
    onEvent: event => {
      if (event.type === 'task-failed') failures.push({ taskId: event.taskId, atMs: event.atMs, kind: event.kind })
    },
    onReading: (taskId, _device, reading) => {
      if (taskId !== 'lidar') return
      const { distanceM } = reading as Reading & { distanceM: number }
      lidar.push({ atMs: reading.atMs, distanceM, quality: reading.quality, fault: reading.fault })
    },
  })
  const brake: { atMs: number; level: number }[] = []
  runtime.sim!.gpio.onOutput((line, level, atMs) => {
    if (line === BRAKE) brake.push({ atMs, level })
  })
  const world = (): VehicleReport => runtime.scenario!.report() as VehicleReport
  const stop = async (): Promise<void> => {
    const stopped = runtime.stop()
    await clock.advance(100)
    await stopped
  }
  return { runtime, clock, lidar, alarms, failures, brake, world, stop }
}

/**
 * The table's collision condition computed here from the raw LiDAR frames, independently of the
 * runtime's pipeline: no return → 8 m, a median of 3, the least-squares closing speed over the
 * newest 4 filtered distances, time-to-collision = distance / closing speed.
 */
function firstConditionMs(samples: readonly LidarSample[]): number | undefined {
  const filtered: { atMs: number; distanceM: number }[] = []
  const raw: number[] = []
  for (const sample of samples) {
    if (sample.quality !== 'good' && sample.fault !== 'signal-low') continue
    raw.push(sample.quality === 'good' ? sample.distanceM : 8)
    const window = raw.slice(-3).sort((a, b) => a - b)
    filtered.push({ atMs: sample.atMs, distanceM: window[Math.floor((window.length - 1) / 2)]! })
    const points = filtered.slice(-4)
    if (points.length < 2) continue
    const meanT = points.reduce((sum, p) => sum + p.atMs, 0) / points.length
    const meanD = points.reduce((sum, p) => sum + p.distanceM, 0) / points.length
    const num = points.reduce((sum, p) => sum + (p.atMs - meanT) * (p.distanceM - meanD), 0)
    const den = points.reduce((sum, p) => sum + (p.atMs - meanT) ** 2, 0)
    const closingMps = (-num / den) * 1000
    const distanceM = filtered.at(-1)!.distanceM
    const ttcS = closingMps > 0.05 ? distanceM / closingMps : Infinity
    if (ttcS < 1.5 || distanceM < 1) return sample.atMs
  }
  return undefined
}

describe('tasks/vehicle-braking.json on the simulated vehicle', () => {
  it('boots braked, releases the brake once the sensors have seen a clear road, brakes within one LiDAR period of the collision condition, and stops short', async () => {
    const { runtime, clock, lidar, alarms, brake, world, stop } = await drive(await readScenarioFile('scenarios/vehicle-braking.json'))
    assert.equal(runtime.sim!.gpio.level(BRAKE), 1, 'braked at boot (the safe level)')
    runtime.start()
    await clock.advance(7000)

    // The brake released once every alarm that drives it had decided on a trusted reading.
    const released = brake.find(change => change.level === 0)
    assert.ok(released !== undefined && released.atMs < 1000, `released at ${released?.atMs}`)

    const conditionMs = firstConditionMs(lidar)
    assert.ok(conditionMs !== undefined, 'the condition became true')
    const applied = brake.find(change => change.level === 1 && change.atMs > released.atMs)
    assert.ok(applied !== undefined, 'the brake was applied')
    assert.ok(applied.atMs >= conditionMs && applied.atMs - conditionMs <= LIDAR_PERIOD_MS, `condition at ${conditionMs} ms, brake at ${applied.atMs} ms`)

    const raised = alarms.find(event => event.alarmId === 'collision-imminent' && event.to === 'active-unacknowledged')
    assert.ok(raised !== undefined && raised.severity === 'high' && raised.atMs === applied.atMs, 'the high alarm raised in the job that set the brake')

    const report = world()
    assert.equal(report.collision, null, 'no collision')
    assert.ok(report.stoppedShortM !== null && report.stoppedShortM > 1, `stopped ${report.stoppedShortM} m short`)
    await stop()
  })

  it('the collision alarm is latched: the brake stays on after the obstacle is gone, until an operator resets it', async () => {
    const { runtime, clock, alarms, world, stop } = await drive(await readScenarioFile('scenarios/vehicle-braking.json'))
    runtime.start()
    await clock.advance(9000) // the obstacle was cleared at 8 s
    assert.equal(runtime.alarms.engine.statuses().find(alarm => alarm.id === 'collision-imminent')?.state, 'latched')
    assert.equal(runtime.sim!.gpio.level(BRAKE), 1)
    assert.equal(world().speedMps, 0)

    const interlocked = runtime.alarms.arbiter.command('brake', 0)
    assert.equal(interlocked.outcome.ok, false, 'a remote command cannot release a brake held by a high alarm')
    assert.match(interlocked.outcome.ok ? '' : interlocked.outcome.reason, /interlock/)

    assert.deepEqual(await runtime.alarms.engine.command('collision-imminent', 'reset'), { ok: true })
    assert.equal(runtime.sim!.gpio.level(BRAKE), 0, 'released by the reset')
    await clock.advance(500)
    assert.ok(world().speedMps > 0, 'driving on')
    assert.ok(alarms.some(event => event.alarmId === 'collision-imminent' && event.cause === 'reset' && event.to === 'normal'))
    await stop()
  })

  it('a LiDAR that goes silent raises its technical alarm within 2 periods of its first failed sample and brakes (safe state) within 3', async () => {
    const scenario: Scenario = await readScenarioFile('scenarios/vehicle-braking.json')
    const { runtime, clock, alarms, failures, brake, world, stop } = await drive({ ...scenario, events: [{ atS: 2, fault: { device: 'lidar', kind: 'disconnect' } }], durationS: 5 })
    runtime.start()
    await clock.advance(3500) // 8 m/s at 6 m/s² takes 1.33 s to stop
    const firstFailure = failures.find(failure => failure.taskId === 'lidar')
    assert.ok(firstFailure !== undefined && firstFailure.atMs >= 2000, `first LiDAR failure ${JSON.stringify(firstFailure)}`)
    const technical = alarms.find(event => event.alarmId === 'lidar-fault' && event.to === 'active-unacknowledged')
    assert.ok(technical !== undefined && technical.category === 'technical', 'the technical alarm was raised')
    assert.ok(technical.atMs - firstFailure.atMs <= LIDAR_PERIOD_MS * 2, `technical alarm ${technical.atMs - firstFailure.atMs} ms after the first failure`)
    const safe = brake.find(change => change.level === 1 && change.atMs >= 2000)
    assert.ok(safe !== undefined && safe.atMs - firstFailure.atMs <= LIDAR_PERIOD_MS * 3, `brake ${safe === undefined ? 'never' : `${safe.atMs - firstFailure.atMs} ms after the first failure`}`)
    assert.ok(!alarms.some(event => event.alarmId === 'collision-imminent' && event.to === 'active-unacknowledged'), 'no value alarm: a silent sensor is not an obstacle')
    assert.equal(world().speedMps, 0, 'the vehicle came to a stop')
    await stop()
  })

  it('a close-range sensor that starts NACKing raises its technical alarm within 2 periods and brakes within 3', async () => {
    const scenario: Scenario = await readScenarioFile('scenarios/vehicle-braking.json')
    const { runtime, clock, alarms, failures, brake, stop } = await drive({ ...scenario, events: [{ atS: 2, fault: { device: 'distance', kind: 'nack', count: 1000 } }], durationS: 5 })
    runtime.start()
    await clock.advance(3000)
    const firstFailure = failures.find(failure => failure.taskId === 'close-range')
    assert.ok(firstFailure !== undefined && firstFailure.kind === 'nack', JSON.stringify(firstFailure))
    const technical = alarms.find(event => event.alarmId === 'close-range-fault' && event.to === 'active-unacknowledged')
    assert.ok(technical !== undefined && technical.atMs - firstFailure.atMs <= CLOSE_RANGE_PERIOD_MS * 2, `technical alarm ${technical === undefined ? 'never' : `${technical.atMs - firstFailure.atMs} ms`} after the first failure`)
    assert.deepEqual(technical.inputs.map(input => [input.channel, input.trust, input.reason]), [['close-range.distanceM', 'no-data', 'nack']])
    const safe = brake.find(change => change.level === 1 && change.atMs >= 2000)
    assert.ok(safe !== undefined && safe.atMs - firstFailure.atMs <= CLOSE_RANGE_PERIOD_MS * 3, `brake ${safe === undefined ? 'never' : `${safe.atMs - firstFailure.atMs} ms`} after the first failure`)
    await stop()
  })
})
