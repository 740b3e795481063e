import assert from 'node:assert/strict'
import { describe, it, type TestContext } from 'node:test'
import { OutputArbiter } from '../../../runtime/actuation/output-arbiter.ts'
import { Actuators, type ActuatorChange } from '../../../runtime/actuators.ts'
import type { SimVl53l0x } from '../../../drivers/sim/chips/sim-vl53l0x.ts'
import { Alarm } from '../../../runtime/alarms/alarm.ts'
import { channelCell, type ChannelCell } from '../../../runtime/alarms/channel-cell.ts'
import { compileCondition } from '../../../runtime/alarms/condition.ts'
import { AlarmEngine } from '../../../runtime/alarms/engine.ts'
import { boot } from '../../../runtime/boot.ts'
import { loadBoard, loadConfig } from '../../../runtime/config/load.ts'
import { openHal } from '../../../runtime/hal/open-hal.ts'
import { VirtualClock } from '../../../runtime/virtual-clock.ts'
import { AlarmSpec } from '../../../tasks/alarm-schema.ts'
import { tempDir } from '../../helpers/temp-files.ts'

// boards/sim.json: brake BCM 22, safe 1 (braking); buzzer BCM 23, safe 0.
const BRAKE = 22
const BUZZER = 23
const { board } = await loadBoard('sim')
const { write } = tempDir()

/** What a channel of the rig reads at the next evaluation: a good value, or a fault. */
type Input = number | 'fault'

/**
 * Real alarms of one task 'plant' on two hand-written channels x and y, a real OutputArbiter and
 * AlarmEngine, and real Actuators on the simulated board's GPIO. `alarms` are table entries
 * (defaults from the schema, as at load).
 */
async function rig(t: TestContext, alarms: Record<string, unknown>[]) {
  const clock = new VirtualClock()
  const hal = await openHal(board, clock, { i2c: [], serial: [], gpio: [] })
  t.after(() => hal.close())
  const actuators = await Actuators.open(board, hal, () => clock.now())
  const changes: ActuatorChange[] = []
  actuators.onChange = change => changes.push(change)
  const cells = new Map<string, ChannelCell>(['x', 'y'].map(name => [name, channelCell(`plant.${name}`, 1000)]))
  const resolve = (ref: string): ChannelCell => cells.get(ref) ?? assert.fail(`no channel ${ref}`)
  const built = alarms.map(table => {
    const spec = AlarmSpec.parse(table)
    return new Alarm(spec, compileCondition(spec.when, resolve, [...cells.values()]), 'plant')
  })
  const arbiter = new OutputArbiter(actuators, built)
  const engine = new AlarmEngine({ alarms: built, arbiter, now: () => clock.now() })
  return {
    clock,
    arbiter,
    engine,
    actuators,
    changes,
    level: (line: number) => hal.sim!.gpio.level(line),
    /** 10 ms later: writes the channels given (the others keep what they had), evaluates the task and waits for its writes. */
    step: async (inputs: { x?: Input; y?: Input }) => {
      await clock.advance(10)
      for (const [name, input] of Object.entries(inputs)) setCell(cells.get(name)!, input, clock.now())
      await engine.evaluateTask('plant')
    },
  }
}

function setCell(cell: ChannelCell, input: Input, atMs: number): void {
  cell.atMs = atMs
  if (input === 'fault') {
    cell.quality = 'fault'
    cell.reason = 'signal-low'
  } else {
    cell.value = input
    cell.quality = 'good'
    cell.reason = undefined
  }
}

const changed = (changes: readonly ActuatorChange[]) => changes.map(({ output, level, cause, by }) => (by === undefined ? { output, level, cause } : { output, level, cause, by }))

/** An obstacle within 1 m on x brakes (high). */
const COLLISION = { id: 'collision', severity: 'high', when: { channel: 'x', setBelow: 1, clearBelow: 1.5 }, actions: [{ output: 'brake', level: 1 }] }
/** Something within 0.5 m on y brakes too (high). */
const OBSTACLE = { id: 'obstacle', severity: 'high', when: { channel: 'y', setBelow: 0.5 }, actions: [{ output: 'brake', level: 1 }] }
/** x above 100 sounds the buzzer (medium). */
const HOT = { id: 'hot', severity: 'medium', when: { channel: 'x', setAbove: 100, clearAbove: 90 }, actions: [{ output: 'buzzer', level: 1 }] }

describe('OutputArbiter', () => {
  it('keeps an output at its safe level until every alarm that drives it has decided, then rests it at clearLevel', async t => {
    const { step, level, changes, arbiter } = await rig(t, [COLLISION, OBSTACLE])
    assert.equal(level(BRAKE), 1, 'boot: braked')
    await step({ x: 5 }) // collision decided (clear); obstacle has no value yet
    assert.equal(level(BRAKE), 1)
    await step({ x: 5, y: 'fault' }) // obstacle cannot decide on a fault
    assert.equal(level(BRAKE), 1)
    assert.deepEqual(changes, [])
    assert.equal(arbiter.settle(), undefined, 'nothing decided, nothing to write')
    await step({ x: 5, y: 2 })
    assert.equal(level(BRAKE), 0, 'both have said the road is clear')
    assert.deepEqual(changed(changes), [{ output: 'brake', level: 0, cause: 'clear' }])
  })

  it('an explicit clearLevel is where the output rests', async t => {
    const ok = { id: 'ok-light', severity: 'low', when: { channel: 'x', setAbove: 100 }, actions: [{ output: 'statusLed', level: 0, clearLevel: 1 }] }
    const { step, level } = await rig(t, [ok])
    assert.equal(level(17), 0, 'boot: statusLed at its safe level')
    await step({ x: 50 })
    assert.equal(level(17), 1)
    await step({ x: 150 })
    assert.equal(level(17), 0)
  })

  it('after the outputs were driven safe (a safe-state miss), the next decision takes them back', async t => {
    const { step, level, actuators } = await rig(t, [COLLISION])
    await step({ x: 5 })
    assert.equal(level(BRAKE), 0)
    await actuators.toSafe('safe-state', 'plant')
    assert.equal(level(BRAKE), 1)
    await step({ x: 5 })
    assert.equal(level(BRAKE), 0)
  })

  it('a raised alarm drives its level; once it has gone the output rests again', async t => {
    const { step, level, changes } = await rig(t, [HOT])
    await step({ x: 50 })
    assert.equal(level(BUZZER), 0)
    await step({ x: 150 })
    assert.equal(level(BUZZER), 1)
    await step({ x: 95 }) // hysteresis: still above clearAbove
    assert.equal(level(BUZZER), 1)
    await step({ x: 80 })
    assert.equal(level(BUZZER), 0)
    assert.deepEqual(changed(changes), [
      { output: 'buzzer', level: 1, cause: 'alarm', by: 'hot' },
      { output: 'buzzer', level: 0, cause: 'clear' },
    ])
  })

  it('the most severe alarm holding an output decides it', async t => {
    // the low alarm comes first in the table; both raise on the same evaluation
    const warm = { id: 'warm', severity: 'low', when: { channel: 'x', setAbove: 100 }, actions: [{ output: 'buzzer', level: 1 }] }
    const overheat = { id: 'overheat', severity: 'high', when: { channel: 'y', setAbove: 100 }, actions: [{ output: 'buzzer', level: 1 }] }
    const { step, level, changes, arbiter } = await rig(t, [warm, overheat])
    await step({ x: 50, y: 50 })
    await step({ x: 150, y: 150 })
    assert.equal(level(BUZZER), 1)
    assert.deepEqual(changed(changes), [{ output: 'buzzer', level: 1, cause: 'alarm', by: 'overheat' }])
    const { outcome } = arbiter.command('buzzer', 0)
    assert.equal(outcome.ok, false, 'the high alarm holds it, whatever the low one would allow')
    assert.match(outcome.ok ? '' : outcome.reason, /"overheat".*interlock/)
  })

  it("a high alarm's hold refuses a command that would move the output (the interlock), and accepts one for the same level", async t => {
    const { step, level, arbiter, changes } = await rig(t, [COLLISION])
    await step({ x: 5 })
    assert.equal(level(BRAKE), 0)
    await step({ x: 0.5 })
    assert.equal(level(BRAKE), 1)
    const refused = arbiter.command('brake', 0)
    assert.equal(refused.outcome.ok, false)
    assert.match(refused.outcome.ok ? '' : refused.outcome.reason, /interlock/)
    assert.match(refused.outcome.ok ? '' : refused.outcome.reason, /held at 1 by high-severity alarm "collision"/)
    assert.equal(refused.writing, undefined)
    assert.equal(level(BRAKE), 1)
    const same = arbiter.command('brake', 1)
    assert.deepEqual(same.outcome, { ok: true })
    await same.writing
    assert.equal(level(BRAKE), 1)
    assert.deepEqual(changed(changes).at(-1), { output: 'brake', level: 1, cause: 'alarm', by: 'collision' })
  })

  it("a medium alarm's hold yields to a command, which lasts until command(null) hands the output back", async t => {
    const { step, level, arbiter, changes } = await rig(t, [HOT])
    await step({ x: 150 })
    assert.equal(level(BUZZER), 1)
    const silence = arbiter.command('buzzer', 0)
    assert.deepEqual(silence.outcome, { ok: true })
    await silence.writing
    assert.equal(level(BUZZER), 0)
    assert.deepEqual(changed(changes).at(-1), { output: 'buzzer', level: 0, cause: 'command' })
    await step({ x: 160 })
    assert.equal(level(BUZZER), 0, 'the next evaluation keeps the command')
    const handBack = arbiter.command('buzzer', null)
    assert.deepEqual(handBack.outcome, { ok: true })
    await handBack.writing
    assert.equal(level(BUZZER), 1, 'the alarm holds it again')
    assert.deepEqual(changed(changes).at(-1), { output: 'buzzer', level: 1, cause: 'alarm', by: 'hot' })
  })

  it('a command outlives the alarms it overrode, and command(null) gives the output back to its resting level', async t => {
    const { step, level, arbiter } = await rig(t, [COLLISION])
    await step({ x: 5 })
    assert.equal(level(BRAKE), 0)
    await arbiter.command('brake', 1).writing
    assert.equal(level(BRAKE), 1)
    await step({ x: 6 })
    assert.equal(level(BRAKE), 1)
    const handBack = arbiter.command('brake', null)
    assert.deepEqual(handBack.outcome, { ok: true })
    await handBack.writing
    assert.equal(level(BRAKE), 0)
  })

  it("holdUntil 'acknowledge' lets go of its output on acknowledge; the alarm's other outputs stay held", async t => {
    const collision = { ...COLLISION, latch: true, actions: [{ output: 'brake', level: 1 }, { output: 'buzzer', level: 1, holdUntil: 'acknowledge' }] }
    const { step, level, engine } = await rig(t, [collision])
    await step({ x: 5 })
    assert.deepEqual([level(BRAKE), level(BUZZER)], [0, 0])
    await step({ x: 0.5 })
    assert.deepEqual([level(BRAKE), level(BUZZER)], [1, 1])
    assert.deepEqual(await engine.command('collision', 'acknowledge'), { ok: true })
    assert.deepEqual([level(BRAKE), level(BUZZER)], [1, 0], 'the buzzer is silenced, the brake stays on')
    await step({ x: 5 }) // the obstacle has gone: latched
    assert.equal(engine.statuses()[0]!.state, 'latched')
    assert.deepEqual([level(BRAKE), level(BUZZER)], [1, 0])
    assert.deepEqual(await engine.command('collision', 'reset'), { ok: true })
    assert.deepEqual([level(BRAKE), level(BUZZER)], [0, 0])
  })

  it('a fail-safe alarm whose inputs are untrusted for afterSamples evaluations drives its outputs safe, and refuses commands while so', async t => {
    const guard = { id: 'guard', severity: 'medium', when: { channel: 'x', setBelow: 1 }, failSafe: true, actions: [{ output: 'brake', level: 1 }] }
    const { step, level, arbiter, changes } = await rig(t, [guard])
    await step({ x: 5 })
    assert.equal(level(BRAKE), 0)
    await step({ x: 'fault' })
    assert.equal(level(BRAKE), 0, 'one untrusted evaluation: the alarm keeps its state')
    await step({ x: 'fault' })
    assert.equal(level(BRAKE), 1, 'the second (the default afterSamples: 2): safe')
    assert.deepEqual(changed(changes).at(-1), { output: 'brake', level: 1, cause: 'fail-safe', by: 'guard' })
    const refused = arbiter.command('brake', 0)
    assert.equal(refused.outcome.ok, false)
    assert.match(refused.outcome.ok ? '' : refused.outcome.reason, /held at its safe level \(1\).*fail-safe alarm "guard"/)
    assert.equal(level(BRAKE), 1)
    await step({ x: 'fault' })
    assert.equal(level(BRAKE), 1)
    await step({ x: 5 })
    assert.equal(level(BRAKE), 0, 'trusted again: the alarm decides')
  })

  it('failSafe.afterSamples sets how many untrusted evaluations trip it; an alarm that is not fail-safe keeps its outputs', async t => {
    const slow = { id: 'slow', severity: 'high', when: { channel: 'x', setBelow: 1 }, failSafe: { afterSamples: 3 }, actions: [{ output: 'brake', level: 1 }] }
    const plain = { id: 'plain', severity: 'medium', when: { channel: 'y', setAbove: 100 }, actions: [{ output: 'buzzer', level: 1 }] }
    const { step, level } = await rig(t, [slow, plain])
    await step({ x: 5, y: 150 })
    assert.deepEqual([level(BRAKE), level(BUZZER)], [0, 1])
    await step({ x: 'fault', y: 'fault' })
    await step({ x: 'fault', y: 'fault' })
    assert.deepEqual([level(BRAKE), level(BUZZER)], [0, 1])
    await step({ x: 'fault', y: 'fault' })
    assert.deepEqual([level(BRAKE), level(BUZZER)], [1, 1], 'the third trips the brake; the buzzer alarm keeps its state')
    for (let i = 0; i < 5; i++) await step({ x: 'fault', y: 'fault' })
    assert.equal(level(BUZZER), 1)
  })

  it('settle() returns undefined when nothing has to be written, the writes when something has', async t => {
    const { step, arbiter, engine, clock } = await rig(t, [HOT])
    assert.equal(arbiter.settle(), undefined, 'nothing decided yet')
    await step({ x: 50 })
    assert.equal(arbiter.settle(), undefined, 'at rest already')
    assert.equal(engine.evaluateTask('plant'), undefined)
    await step({ x: 150 })
    assert.equal(arbiter.settle(), undefined, 'raised and written')
    const silence = arbiter.command('buzzer', 0)
    assert.ok(silence.writing instanceof Promise, 'a command that moves the output writes')
    await silence.writing
    assert.equal(arbiter.settle(), undefined)
    await clock.advance(10)
    assert.equal(engine.evaluateTask('plant'), undefined)
  })

  it('a command for an output no alarm drives is written as it is; one for an unknown output is refused', async t => {
    const { arbiter, level } = await rig(t, [HOT])
    const led = arbiter.command('statusLed', 1)
    assert.deepEqual(led.outcome, { ok: true })
    await led.writing
    assert.equal(level(17), 1)
    const unknown = arbiter.command('horn', 1)
    assert.equal(unknown.outcome.ok, false)
    assert.match(unknown.outcome.ok ? '' : unknown.outcome.reason, /no output "horn" \(outputs: statusLed, brake, buzzer\)/)
  })
})

describe('OutputArbiter in a booted runtime', () => {
  it('the close-range sensor releases the brake on a clear road, brakes on an obstacle, and brakes safe when it stops answering', async () => {
    const file = write('close-range.json', {
      version: 1,
      scheduling: { policy: 'priority' },
      tasks: [
        {
          id: 'close-range',
          kind: 'sample',
          device: 'distance',
          periodMs: 50,
          budgetMs: 3,
          alarms: [
            {
              id: 'obstacle-close',
              severity: 'high',
              when: { channel: 'distanceM', setBelow: 0.5, clearBelow: 0.7 },
              failSafe: true,
              actions: [{ output: 'brake', level: 1 }, { output: 'buzzer', level: 1, holdUntil: 'acknowledge' }],
            },
          ],
        },
      ],
    })
    const clock = new VirtualClock()
    const changes: ActuatorChange[] = []
    const runtime = await boot(await loadConfig('sim', file), { clock, onEvent: () => undefined, onActuator: change => changes.push(change) })
    const gpio = runtime.sim!.gpio
    const sensor = runtime.sim!.chip<SimVl53l0x>('distance')
    sensor.setDistance(1.5)
    assert.deepEqual([gpio.level(BRAKE), gpio.level(BUZZER)], [1, 0], 'boot: braked')
    runtime.start()
    await clock.advance(200)
    assert.deepEqual([gpio.level(BRAKE), gpio.level(BUZZER)], [0, 0], 'the road is clear')
    sensor.setDistance(0.3)
    await clock.advance(100)
    assert.deepEqual([gpio.level(BRAKE), gpio.level(BUZZER)], [1, 1], 'an obstacle')
    const refused = runtime.alarms.arbiter.command('brake', 0)
    assert.match(refused.outcome.ok ? '' : refused.outcome.reason, /interlock/)
    assert.deepEqual(await runtime.alarms.engine.command('obstacle-close', 'acknowledge'), { ok: true })
    assert.deepEqual([gpio.level(BRAKE), gpio.level(BUZZER)], [1, 0], 'acknowledged: the buzzer is silenced')
    sensor.setDistance(1.5)
    await clock.advance(100)
    assert.equal(gpio.level(BRAKE), 0, 'the obstacle has gone')
    runtime.sim!.i2cFault('distance', 'nack', 3)
    await clock.advance(150)
    assert.equal(gpio.level(BRAKE), 1, 'two failed samples: braked safe')
    assert.deepEqual(changes.at(-1), { output: 'brake', level: 1, atMs: changes.at(-1)!.atMs, cause: 'fail-safe', by: 'obstacle-close' })
    const stopped = runtime.stop()
    await clock.advance(100)
    await stopped
  })
})
