import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { readScenarioFile } from '../../drivers/sim/scenario/parse.ts'
import type { Scenario } from '../../drivers/sim/scenario/schema.ts'
import type { AlarmEvent } from '../../runtime/alarms/engine.ts'
import { boot } from '../../runtime/boot.ts'
import { loadConfig } from '../../runtime/config/load.ts'
import { VirtualClock } from '../../runtime/virtual-clock.ts'

// boards/sim.json: the buzzer is BCM 23 (safe 0).
const BUZZER = 23

async function monitor(scenario: Scenario) {
  const config = await loadConfig('sim', 'tasks/patient-vitals.json')
  const clock = new VirtualClock()
  const alarms: AlarmEvent[] = []
  const runtime = await boot(config, { clock, scenario, onAlarm: event => alarms.push(event) })
  const buzzer: { atMs: number; level: number }[] = []
  runtime.sim!.gpio.onOutput((line, level, atMs) => {
    if (line === BUZZER) buzzer.push({ atMs, level })
  })
  const run = async (untilS: number): Promise<void> => {
    while (clock.now() < untilS * 1000) await clock.advance(1000)
  }
  const stop = async (): Promise<void> => {
    const stopped = runtime.stop()
    await clock.advance(100)
    await stopped
  }
  const raises = (id: string) => alarms.filter(event => event.alarmId === id && event.to === 'active-unacknowledged')
  const clears = (id: string) => alarms.filter(event => event.alarmId === id && event.cause === 'condition' && (event.to === 'returned-unacknowledged' || event.to === 'normal'))
  return { runtime, clock, alarms, buzzer, run, stop, raises, clears }
}

/** The one raise and the one clear of `id` (each exactly once), in seconds. */
function window(events: ReturnType<typeof monitor> extends Promise<infer M> ? M : never, id: string): { raisedS: number; clearedS: number; event: AlarmEvent } {
  const raised = events.raises(id)
  const cleared = events.clears(id)
  assert.equal(raised.length, 1, `${id} raised ${raised.length} times`)
  assert.equal(cleared.length, 1, `${id} cleared ${cleared.length} times`)
  return { raisedS: raised[0]!.atMs / 1000, clearedS: cleared[0]!.atMs / 1000, event: raised[0]! }
}

describe('tasks/patient-vitals.json on the simulated patient', () => {
  it('raises and clears each vitals alarm once, at its severity, after its on-delay, during its event (scenarios/patient-events.json)', async () => {
    const events = await monitor(await readScenarioFile('scenarios/patient-events.json'))
    events.runtime.start()
    await events.run(360)
    // Event times (scenario): tachycardia 10–40 s, bradycardia 70–100 s, desaturation 130–160 s, fever 190–270 s.
    // The vitals move with time constants of 5 s (20 s for temperature): a threshold is crossed some seconds
    // into an event, and the on-delay comes on top of that.
    const tachycardia = window(events, 'tachycardia')
    assert.equal(tachycardia.event.severity, 'medium')
    assert.ok(tachycardia.raisedS > 10 + 5 && tachycardia.raisedS < 30, `tachycardia raised at ${tachycardia.raisedS} s`)
    assert.ok(tachycardia.clearedS > 40 && tachycardia.clearedS < 55, `tachycardia cleared at ${tachycardia.clearedS} s`)

    const bradycardia = window(events, 'bradycardia')
    assert.equal(bradycardia.event.severity, 'high')
    assert.ok(bradycardia.raisedS > 70 + 5 && bradycardia.raisedS < 95, `bradycardia raised at ${bradycardia.raisedS} s`)
    assert.ok(bradycardia.clearedS > 100 && bradycardia.clearedS < 115, `bradycardia cleared at ${bradycardia.clearedS} s`)

    const desaturation = window(events, 'desaturation')
    assert.equal(desaturation.event.severity, 'high')
    assert.ok(desaturation.raisedS > 130 + 10 && desaturation.raisedS < 155, `desaturation raised at ${desaturation.raisedS} s`)
    assert.ok(desaturation.clearedS > 160 && desaturation.clearedS < 175, `desaturation cleared at ${desaturation.clearedS} s`)

    const fever = window(events, 'fever')
    assert.equal(fever.event.severity, 'low')
    assert.ok(fever.raisedS > 190 + 10 && fever.raisedS < 240, `fever raised at ${fever.raisedS} s`)
    assert.ok(fever.clearedS > 270 && fever.clearedS < 330, `fever cleared at ${fever.clearedS} s`)

    for (const id of ['probe-off', 'pulse-oximeter-fault', 'thermometer-fault']) assert.deepEqual(events.raises(id), [], `no ${id}`)
    // The buzzer sounded for each medium and high alarm (nobody acknowledged), and not for the fever.
    const sounded = events.buzzer.filter(change => change.level === 1).map(change => change.atMs / 1000)
    assert.deepEqual(sounded, [tachycardia.raisedS, bradycardia.raisedS, desaturation.raisedS])
    await events.stop()
  })

  it('an acknowledge silences the buzzer while the alarm stays active; the clear then ends it without another acknowledge', async () => {
    const events = await monitor(await readScenarioFile('scenarios/patient-events.json'))
    events.runtime.start()
    await events.run(30) // tachycardia is active by now
    assert.equal(events.runtime.sim!.gpio.level(BUZZER), 1)
    assert.deepEqual(await events.runtime.alarms.engine.command('tachycardia', 'acknowledge'), { ok: true })
    assert.equal(events.runtime.sim!.gpio.level(BUZZER), 0, 'silenced')
    assert.equal(events.runtime.alarms.engine.statuses().find(alarm => alarm.id === 'tachycardia')?.state, 'active-acknowledged')
    await events.run(60)
    assert.equal(events.runtime.alarms.engine.statuses().find(alarm => alarm.id === 'tachycardia')?.state, 'normal', 'acknowledged and cleared: back to normal')
    const refused = await events.runtime.alarms.engine.command('tachycardia', 'acknowledge')
    assert.equal(refused.ok, false)
    await events.stop()
  })

  it('a probe that comes off is a technical alarm, and no vitals alarm (scenarios/patient-probe-off.json)', async () => {
    const events = await monitor(await readScenarioFile('scenarios/patient-probe-off.json'))
    events.runtime.start()
    await events.run(90)
    const raised = events.raises('probe-off')
    assert.deepEqual(raised.map(event => [event.category, event.severity]), [['technical', 'medium'], ['technical', 'medium']], 'once per probe-off (20 s, 60 s)')
    assert.ok(raised[0]!.atMs > 20_000 && raised[0]!.atMs < 21_000, `raised at ${raised[0]!.atMs} ms`)
    assert.deepEqual(raised[0]!.inputs.map(input => [input.channel, input.trust, input.reason]), [['pulse.heartRateBpm', 'fault', 'probe-off']])
    assert.equal(events.clears('probe-off').length, 2)
    for (const id of ['tachycardia', 'bradycardia', 'desaturation']) assert.deepEqual(events.raises(id), [], `no ${id} while the value could not be trusted`)
    await events.stop()
  })

  it('a thermometer that stops answering raises its technical alarm within 2 periods', async () => {
    const events = await monitor({ version: 1, world: 'patient', events: [{ atS: 5, fault: { device: 'bodyTemp', kind: 'nack', count: 100 } }], durationS: 20 })
    events.runtime.start()
    await events.run(10)
    const raised = events.raises('thermometer-fault')
    assert.equal(raised.length, 1)
    assert.ok(raised[0]!.atMs > 5000 && raised[0]!.atMs <= 5000 + 2 * 1000, `raised at ${raised[0]!.atMs} ms`)
    await events.stop()
  })
})
