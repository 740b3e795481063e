import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { SimFaultControls } from '../../../drivers/sim/scenario/fault.ts'
import { validateScenario } from '../../../drivers/sim/scenario/parse.ts'
import { planScenario, type TimedAction } from '../../../drivers/sim/scenario/plan.ts'
import { runScenario } from '../../../drivers/sim/scenario/run.ts'
import type { Scenario } from '../../../drivers/sim/scenario/schema.ts'
import { SimBoard } from '../../../drivers/sim/sim-board.ts'
import { SimGpio } from '../../../drivers/sim/sim-gpio.ts'
import type { World } from '../../../drivers/sim/world/world.ts'
import { VirtualClock } from '../../../runtime/virtual-clock.ts'

/** Fault controls that record each call with the clock's time. */
function recordingFaults(clock: VirtualClock) {
  const calls: string[] = []
  const record =
    (name: string) =>
    (...args: unknown[]): void =>
      void calls.push(`${clock.now()} ${name}(${args.map(arg => JSON.stringify(arg)).join(', ')})`)
  const faults: SimFaultControls = { i2cFault: record('i2cFault'), stick: record('stick'), lockUp: record('lockUp'), disconnect: record('disconnect'), clear: record('clear') }
  return { faults, calls }
}

function parse(data: unknown): Scenario {
  const parsed = validateScenario(data, 'test.json')
  assert.ok(parsed.ok, parsed.ok ? '' : JSON.stringify(parsed.issues))
  return parsed.scenario
}

/** Recording stand-ins for the LiDAR's setters. */
function fakeLidar() {
  const distancesM: [number, number][] = []
  return { distancesM, lidar: (clock: VirtualClock) => ({ setDistance: (distanceM: number) => void distancesM.push([clock.now(), distanceM]), setSignal: () => undefined }) }
}

describe('runScenario', () => {
  it('calls the fault controls with the right arguments at the right virtual times', async () => {
    const clock = new VirtualClock()
    const { faults, calls } = recordingFaults(clock)
    const scenario = parse({
      version: 1,
      world: 'vehicle',
      events: [
        { atS: 0.5, fault: { device: 'distance', kind: 'nack', count: 3 } },
        { atS: 1.25, fault: { device: 'distance', kind: 'timeout' } },
        { atS: 2, fault: { device: 'imu', kind: 'stuck', value: 0 } },
        { atS: 2, fault: { device: 'imu', kind: 'lock-up' } },
        { atS: 3, fault: { device: 'lidar', kind: 'disconnect' } },
        { atS: 4, fault: { device: 'lidar', kind: 'clear' } },
        { atS: 4.5, fault: { device: 'distance', kind: 'bus', count: 2 } },
      ],
      durationS: 5,
    })
    const run = runScenario(planScenario(scenario, { targets: {} }), { clock, signal: new AbortController().signal, faults, stepMs: 100 })
    await clock.advance(1999)
    assert.deepEqual(calls, ['500 i2cFault("distance", "nack", 3)', '1250 i2cFault("distance", "timeout", 1)'])
    await clock.advance(3001)
    assert.deepEqual(await run, { endedBy: 'duration', applied: 7 })
    assert.deepEqual(calls, [
      '500 i2cFault("distance", "nack", 3)',
      '1250 i2cFault("distance", "timeout", 1)',
      '2000 stick("imu", 0)',
      '2000 lockUp("imu")',
      '3000 disconnect("lidar")',
      '4000 clear("lidar")',
      '4500 i2cFault("distance", "bus", 2)',
    ])
  })

  it('applies world events at their times, with the world brought up to that instant and pushed at once', async () => {
    const clock = new VirtualClock()
    const { distancesM, lidar } = fakeLidar()
    const scenario = parse({ version: 1, world: 'vehicle', initial: { speedMps: 10, cruiseSpeedMps: 10 }, events: [{ atS: 0.25, set: { obstacleDistanceM: 7 } }, { atS: 0.55, event: 'obstacle-cleared' }], durationS: 1 })
    const plan = planScenario(scenario, { targets: { lidar: lidar(clock) } })
    const run = runScenario(plan, { clock, signal: new AbortController().signal, faults: recordingFaults(clock).faults, stepMs: 100 })
    await clock.advance(1000)
    await run
    // Max range (8 m, nothing seen) until 0.25 s; then 7 m closing at 10 m/s; cleared at 0.55 s.
    const at = (ms: number): number[] => distancesM.filter(([atMs]) => atMs === ms).map(([, m]) => m)
    assert.deepEqual(at(200), [8])
    assert.deepEqual(at(250), [8, 7], 'pushed before and right after the event')
    assert.ok(Math.abs(at(300)[0]! - 6.5) < 1e-9)
    assert.deepEqual(at(600), [8])
    assert.equal(plan.kind, 'vehicle')
    assert.ok(plan.world.report().positionM > 9.99, 'the world was stepped to the end')
  })

  it('applies an entry\'s set, then its event, then its fault, and entries at the same time in file order', async () => {
    const clock = new VirtualClock()
    const { faults, calls } = recordingFaults(clock)
    const order: string[] = []
    const world: World = { attach: () => () => undefined, advanceTo: () => undefined }
    const actions: TimedAction[] = [
      { index: 0, atMs: 10, applyWorld: () => void order.push('world 0'), fault: { device: 'a', kind: 'clear' } },
      { index: 1, atMs: 10, applyWorld: () => void order.push('world 1'), fault: null },
    ]
    const seen: [number, number][] = []
    await Promise.all([
      runScenario({ world, actions, durationMs: 20 }, { clock, signal: new AbortController().signal, faults: { ...faults, clear: d => void order.push(`fault ${d}`) }, stepMs: 5, onAction: (action, atMs) => void seen.push([action.index, atMs]) }),
      clock.advance(20),
    ])
    assert.deepEqual(order, ['world 0', 'fault a', 'world 1'])
    assert.deepEqual(seen, [
      [0, 10],
      [1, 10],
    ])
    assert.deepEqual(calls, [])
  })

  it('applies the set and the event of one entry in that order', async () => {
    const clock = new VirtualClock()
    const scenario = parse({ version: 1, world: 'patient', events: [{ atS: 1, set: { heartRateBpm: 100 }, event: 'recover' }], durationS: 2 })
    const plan = planScenario(scenario, { targets: {} })
    await Promise.all([runScenario(plan, { clock, signal: new AbortController().signal, faults: recordingFaults(clock).faults, stepMs: 100 }), clock.advance(2000)])
    assert.equal(plan.kind === 'patient' && plan.world.report().targets.heartRateBpm, 72, 'recover came after the set')
  })

  it('runs until stopped when there is no durationS, and stops the world with it', async () => {
    const clock = new VirtualClock()
    const stop = new AbortController()
    const scenario = parse({ version: 1, world: 'vehicle', initial: { speedMps: 5, cruiseSpeedMps: 5 }, events: [{ atS: 1, fault: { device: 'lidar', kind: 'disconnect' } }, { atS: 60, fault: { device: 'lidar', kind: 'clear' } }] })
    const plan = planScenario(scenario, { targets: {} })
    const { faults, calls } = recordingFaults(clock)
    const run = runScenario(plan, { clock, signal: stop.signal, faults, stepMs: 50 })
    await clock.advance(2000)
    stop.abort()
    assert.deepEqual(await run, { endedBy: 'signal', applied: 1 })
    assert.deepEqual(calls, ['1000 disconnect("lidar")'])
    await clock.advance(100_000)
    assert.deepEqual(calls, ['1000 disconnect("lidar")'], 'nothing is applied after the stop')
    assert.equal(plan.kind === 'vehicle' && plan.world.report().positionM, 10, 'the world stopped stepping with the run')
    assert.equal(clock.pendingTimers, 0)
  })

  it('applies entries at time 0 at once, after the world is attached', async () => {
    const clock = new VirtualClock()
    const order: string[] = []
    const world: World = { attach: () => (order.push('attach'), () => void order.push('detach')), advanceTo: atMs => void order.push(`advance ${atMs}`) }
    const actions: TimedAction[] = [{ index: 0, atMs: 0, applyWorld: () => void order.push('apply'), fault: null }]
    await runScenario({ world, actions, durationMs: 0 }, { clock, signal: new AbortController().signal, faults: recordingFaults(clock).faults, stepMs: 10 })
    assert.deepEqual(order, ['attach', 'advance 0', 'apply', 'advance 0', 'advance 0', 'detach']) // the last: the end of the run
  })

  it('ends the run and rejects with the error when a fault control throws', async () => {
    const clock = new VirtualClock()
    const scenario = parse({ version: 1, world: 'vehicle', events: [{ atS: 1, fault: { device: 'nowhere', kind: 'lock-up' } }], durationS: 10 })
    const faults = { ...recordingFaults(clock).faults, lockUp: (device: string) => { throw new RangeError(`sim board: no I2C device '${device}'`) } }
    const run = runScenario(planScenario(scenario, { targets: {} }), { clock, signal: new AbortController().signal, faults, stepMs: 100 })
    const settled = assert.rejects(run, { name: 'RangeError', message: /no I2C device 'nowhere'/ })
    await clock.advance(1000)
    await settled
    assert.equal(clock.pendingTimers, 0, 'the world stopped too')
  })

  it('reacts to the board\'s brake line during a scenario', async () => {
    const clock = new VirtualClock()
    const gpio = new SimGpio(clock)
    const brake = gpio.output(22, 0)
    const scenario = parse({ version: 1, world: 'vehicle', initial: { speedMps: 12, cruiseSpeedMps: 12 }, events: [{ atS: 0, set: { obstacleDistanceM: 50 } }], durationS: 10 })
    const plan = planScenario(scenario, { targets: {}, actuators: gpio, lines: { brake: 22 } })
    const run = runScenario(plan, { clock, signal: new AbortController().signal, faults: recordingFaults(clock).faults, stepMs: 10 })
    await clock.advance(1000)
    await brake.write(1) // at 12 m: stops 12 m on (12²/12)
    await clock.advance(9000)
    await run
    assert.ok(plan.kind === 'vehicle' && Math.abs(plan.world.report().stoppedShortM! - 26) < 1e-9)
  })

  it('takes the simulated board as its fault controls', () => {
    const board: SimFaultControls = new SimBoard({ i2c: {}, serial: {} }, new VirtualClock(), { i2c: {}, serial: {} })
    assert.throws(() => board.disconnect('lidar'), RangeError, 'an unknown device is a programmer error')
  })
})
