import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { scenarioDeviceIssues } from '../../../drivers/sim/scenario/bind.ts'
import type { DeviceBus, SimFaultControls } from '../../../drivers/sim/scenario/fault.ts'
import { readScenarioFile } from '../../../drivers/sim/scenario/parse.ts'
import { planScenario, type WorldWiring } from '../../../drivers/sim/scenario/plan.ts'
import { runScenario, type ScenarioOutcome } from '../../../drivers/sim/scenario/run.ts'
import type { PatientSignal } from '../../../drivers/sim/world/targets.ts'
import { VirtualClock } from '../../../runtime/virtual-clock.ts'

const DIR = 'scenarios'

/** The sim board's device names and buses, read from its file as the lead's binding would. */
function simBoardDevices(): Record<string, DeviceBus> {
  const board = JSON.parse(readFileSync('boards/sim.json', 'utf8')) as { i2c: Record<string, { devices: Record<string, unknown> }>; serial: Record<string, unknown> }
  const devices: Record<string, DeviceBus> = {}
  for (const bus of Object.values(board.i2c)) for (const name of Object.keys(bus.devices)) devices[name] = 'i2c'
  for (const name of Object.keys(board.serial)) devices[name] = 'serial'
  return devices
}

/** Plays a scenario file to its end in virtual time against recording fakes. */
async function play(name: string, wiring: WorldWiring, stepMs: number) {
  const scenario = await readScenarioFile(join(DIR, name))
  const clock = new VirtualClock()
  const calls: string[] = []
  const record = (kind: string) => (device: string, ...args: unknown[]) => void calls.push(`${clock.now()} ${kind} ${device}${args.length > 0 ? ` ${args.join(' ')}` : ''}`)
  const faults: SimFaultControls = { i2cFault: record('i2cFault'), stick: record('stick'), lockUp: record('lockUp'), disconnect: record('disconnect'), clear: record('clear') }
  const plan = planScenario(scenario, wiring)
  const samples: { atMs: number; report: unknown }[] = []
  const outcome: Promise<ScenarioOutcome> = runScenario(plan, { clock, signal: new AbortController().signal, faults, stepMs, onAction: () => void samples.push({ atMs: clock.now(), report: plan.world.report() }) })
  return { scenario, clock, calls, plan, samples, outcome }
}

describe('example scenarios', () => {
  const files = readdirSync(DIR).filter(name => name.endsWith('.json')).sort()

  it('are the five the hardware issue asks for, and the braking demo', () => {
    assert.deepEqual(files, ['environment-day.json', 'patient-events.json', 'patient-probe-off.json', 'vehicle-braking.json', 'vehicle-obstacle.json', 'vehicle-sensor-fault.json'])
  })

  for (const name of files) {
    it(`${name} validates, its faults bind against the sim board, and it runs to its end`, async () => {
      const { scenario, clock, outcome } = await play(name, { targets: {} }, 100)
      assert.deepEqual(scenarioDeviceIssues(scenario, simBoardDevices(), name), [])
      assert.ok(scenario.durationS !== undefined, 'an example ends by itself')
      await clock.advance(scenario.durationS * 1000)
      assert.deepEqual(await outcome, { endedBy: 'duration', applied: scenario.events.length })
    })
  }

  it('vehicle-obstacle.json: with nothing braking, the vehicle hits the obstacle at 15 m/s at 6 s', async () => {
    const { clock, plan, outcome } = await play('vehicle-obstacle.json', { targets: {} }, 10)
    await clock.advance(10_000)
    await outcome
    const collision = plan.kind === 'vehicle' ? plan.world.report().collision : null
    assert.ok(collision !== null && Math.abs(collision.atMs - 6000) <= 10 && collision.impactSpeedMps === 15, JSON.stringify(collision))
  })

  it('vehicle-sensor-fault.json: NACKs the time-of-flight sensor at 2 s and pulls the LiDAR at 3 s', async () => {
    const { clock, calls, outcome } = await play('vehicle-sensor-fault.json', { targets: {} }, 10)
    await clock.advance(10_000)
    await outcome
    assert.deepEqual(calls, ['2000 i2cFault distance nack 3', '3000 disconnect lidar'])
  })

  it('patient-events.json: each event reaches 95 % of its target before the recovery that follows it', async () => {
    const seen: PatientSignal[] = []
    const { clock, samples, outcome } = await play('patient-events.json', { targets: { pulseOximeter: { setPatient: patient => void seen.push(patient) } } }, 100)
    await clock.advance(360_000)
    await outcome
    const before = (atMs: number): Record<string, number> => samples.find(sample => sample.atMs === atMs)!.report as Record<string, number>
    const within = (value: number, target: number, from: number): boolean => Math.abs(value - target) <= 0.05 * Math.abs(target - from)
    assert.ok(within(before(40_000).heartRateBpm!, 140, 72), 'tachycardia by 40 s')
    assert.ok(within(before(100_000).heartRateBpm!, 40, 72), 'bradycardia by 100 s')
    assert.ok(within(before(160_000).spo2Pct!, 85, 97), 'desaturation by 160 s')
    assert.ok(within(before(270_000).temperatureC!, 39, 36.8), 'fever by 270 s')
    assert.ok(seen.every(signal => signal.probeOn))
  })

  it('environment-day.json: the battery loses 4 % an hour (16 % left at 21:00) and is full again once replaced at 22:00', async () => {
    const { clock, samples, outcome } = await play('environment-day.json', { targets: {} }, 100)
    await clock.advance(240_000)
    await outcome
    const replaced = samples.find(sample => sample.atMs === 220_000)!.report as { batteryChargePct: number; timeOfDayH: number }
    assert.equal(replaced.batteryChargePct, 100, 'just replaced')
    const before = samples.find(sample => sample.atMs === 210_000)!.report as { batteryChargePct: number; timeOfDayH: number }
    assert.ok(Math.abs(before.batteryChargePct - 16) < 1e-6 && Math.abs(before.timeOfDayH - 21) < 1e-9, JSON.stringify(before)) // 4 %/h × 21 h
  })
})
