import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { SENSOR_DESCRIPTORS } from '../../../drivers/sensors/registry.ts'
import { readingStageIssues } from '../../../runtime/config/bind-alarms.ts'
import { ConfigError, type ConfigIssue } from '../../../runtime/config/config-error.ts'
import { loadBoard, loadConfig } from '../../../runtime/config/load.ts'
import { TaskTable } from '../../../tasks/schema.ts'
import { tempDir } from '../../helpers/temp-files.ts'

const { write } = tempDir()

// boards/sim.json: lidar (tf-luna: distanceM, signalStrength, temperatureC), distance (vl53l0x:
// distanceM, signalRateMcps), bodyTemp (max30205: temperatureC); outputs statusLed, brake, buzzer;
// inputs button, pulseIrq.
const lidar = (extra: Record<string, unknown> = {}) => ({ id: 'lidar', kind: 'sample', device: 'lidar', periodMs: 10, budgetMs: 1, priority: 9, ...extra })
const closeRange = (extra: Record<string, unknown> = {}) => ({ id: 'close-range', kind: 'sample', device: 'distance', periodMs: 50, budgetMs: 3, priority: 7, ...extra })
const thermometer = (extra: Record<string, unknown> = {}) => ({ id: 'body-temperature', kind: 'sample', device: 'bodyTemp', periodMs: 1000, budgetMs: 2, priority: 4, ...extra })
/** A valid alarm on the own task's distanceM; `extra` replaces fields. */
const alarm = (extra: Record<string, unknown> = {}) => ({ id: 'too-close', severity: 'low', when: { channel: 'distanceM', setBelow: 1 }, ...extra })

let tables = 0

/** Writes a table with `tasks` and loads it on the sim board: the issues it is refused with ([] when it loads). */
async function issuesOf(tasks: unknown[]): Promise<{ file: string; issues: readonly ConfigIssue[] }> {
  const file = write(`alarms-${++tables}.json`, { version: 1, scheduling: { policy: 'priority' }, tasks })
  try {
    await loadConfig('sim', file)
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error))
    return { file, issues: error.issues }
  }
  return { file, issues: [] }
}

const listed = (issues: readonly ConfigIssue[]): string => issues.map(issue => `${issue.path}: ${issue.message}`).join('\n') || '(no issues)'

/** The table is refused with exactly one issue, at `path`, whose message matches `message`. */
async function refusedWith(tasks: unknown[], path: string, message: RegExp): Promise<void> {
  const { file, issues } = await issuesOf(tasks)
  assert.equal(issues.length, 1, listed(issues))
  const [issue] = issues
  assert.equal(issue!.file, file)
  assert.equal(issue!.path, path, listed(issues))
  assert.match(issue!.message, message)
}

const shipped = (name: string): string => fileURLToPath(new URL(`../../../tasks/${name}`, import.meta.url))

describe('binding processing and derived channels', () => {
  it('a processing key that is not a channel of the device is named with the channels it has', async () => {
    await refusedWith([lidar({ processing: { rangeM: { filters: [] } } })], 'tasks[0].processing.rangeM', /device "lidar" has no channel "rangeM" \(it has: distanceM, signalStrength, temperatureC\)/)
  })

  it('an exponential filter needs exactly one of alpha and timeConstantMs', async () => {
    const { issues } = await issuesOf([lidar({ processing: { distanceM: { filters: [{ type: 'exponential', alpha: 0.5, timeConstantMs: 100 }, { type: 'exponential' }] } } })])
    assert.deepEqual(
      issues.map(issue => `${issue.path}: ${issue.message}`),
      ['tasks[0].processing.distanceM.filters[0]: give exactly one of alpha and timeConstantMs', 'tasks[0].processing.distanceM.filters[1]: give exactly one of alpha and timeConstantMs'],
    )
  })

  it('a deadband needs absolute or percent', async () => {
    await refusedWith([lidar({ processing: { signalStrength: { filters: [{ type: 'deadband' }] } } })], 'tasks[0].processing.signalStrength.filters[0]', /give exactly one of absolute and percent/)
  })

  it('a clamp whose min is above its max is refused at max', async () => {
    await refusedWith([lidar({ processing: { distanceM: { filters: [{ type: 'clamp', min: 5, max: 1 }] } } })], 'tasks[0].processing.distanceM.filters[0].max', /must not be below min \(5\)/)
  })

  it('a filter of a derived channel is checked too', async () => {
    const derived = [{ name: 'closingSpeedMps', op: 'closing-speed', distance: 'distanceM', filters: [{ type: 'clamp', min: 3, max: -3 }] }]
    await refusedWith([lidar({ derived })], 'tasks[0].derived[0].filters[0].max', /must not be below min \(3\)/)
  })

  it('a derived channel may not take the name of a device channel', async () => {
    await refusedWith([lidar({ derived: [{ name: 'distanceM', op: 'closing-speed', distance: 'distanceM' }] })], 'tasks[0].derived[0].name', /"distanceM" is already a channel of task 'lidar'/)
  })

  it('a derived input must be a channel of the task (or one derived before it)', async () => {
    await refusedWith([lidar({ derived: [{ name: 'closingSpeedMps', op: 'closing-speed', distance: 'rangeM' }] })], 'tasks[0].derived[0].distance', /task 'lidar' has no channel "rangeM" \(it has: distanceM, signalStrength, temperatureC\)/)
    // time-to-collision names a closing speed that is only derived after it
    const laterInput = [
      { name: 'timeToCollisionS', op: 'time-to-collision', distance: 'distanceM', closingSpeed: 'closingSpeedMps' },
      { name: 'closingSpeedMps', op: 'closing-speed', distance: 'distanceM' },
    ]
    await refusedWith([lidar({ derived: laterInput })], 'tasks[0].derived[0].closingSpeed', /task 'lidar' has no channel "closingSpeedMps"/)
  })

  it('derived channels and references to other tasks that exist bind', async () => {
    const derived = [
      { name: 'closingSpeedMps', op: 'closing-speed', distance: 'distanceM' },
      { name: 'timeToCollisionS', op: 'time-to-collision', distance: 'lidar.distanceM', closingSpeed: 'closingSpeedMps' },
    ]
    const alarms = [alarm({ when: { any: [{ channel: 'timeToCollisionS', setBelow: 1.5 }, { channel: 'close-range.distanceM', setBelow: 0.5 }] } })]
    const { issues } = await issuesOf([lidar({ derived, alarms }), closeRange()])
    assert.deepEqual(issues, [])
  })
})

describe('binding alarm conditions', () => {
  it("a reference to a task that is not in the table ('other.channel') names the sample tasks", async () => {
    await refusedWith([lidar({ alarms: [alarm({ when: { channel: 'front.distanceM', setBelow: 1 } })] })], 'tasks[0].alarms[0].when.channel', /no sample task "front" in this table \(sample tasks: lidar\)/)
  })

  it("a reference to another task's channel that it does not have names the channels it has", async () => {
    await refusedWith(
      [lidar({ alarms: [alarm({ when: { channel: 'close-range.rangeM', setBelow: 1 } })] }), closeRange()],
      'tasks[0].alarms[0].when.channel',
      /task 'close-range' has no channel "rangeM" \(it has: distanceM, signalRateMcps\)/,
    )
  })

  it('a technical condition’s channels are checked too', async () => {
    await refusedWith([lidar({ alarms: [alarm({ when: { technical: ['fault'], channels: ['distanceM', 'rangeM'] } })] })], 'tasks[0].alarms[0].when.channels[1]', /task 'lidar' has no channel "rangeM"/)
  })

  it('an alarm id may appear only once in the whole table, across tasks', async () => {
    await refusedWith([lidar({ alarms: [alarm()] }), closeRange({ alarms: [alarm()] })], 'tasks[1].alarms[0].id', /"too-close" is already the id of an alarm at tasks\[0\]\.alarms\[0\]/)
  })

  it('clearAbove above setAbove is refused, naming setAbove’s value', async () => {
    const { issues } = await issuesOf([thermometer({ alarms: [alarm({ id: 'fever', when: { channel: 'temperatureC', setAbove: 38.5, clearAbove: 39 } })] })])
    assert.deepEqual(
      issues.map(issue => `${issue.path}: ${issue.message}`),
      ['tasks[0].alarms[0].when.clearAbove: must not be above setAbove (38.5)'],
    )
  })

  it('clearBelow below setBelow is refused, naming setBelow’s value', async () => {
    await refusedWith([lidar({ alarms: [alarm({ when: { channel: 'distanceM', setBelow: 1, clearBelow: 0.5 } })] })], 'tasks[0].alarms[0].when.clearBelow', /must not be below setBelow \(1\)/)
  })

  it('a clear threshold without its set threshold is refused', async () => {
    await refusedWith([lidar({ alarms: [alarm({ when: { channel: 'distanceM', setBelow: 1, clearAbove: 2 } })] })], 'tasks[0].alarms[0].when.clearAbove', /needs setAbove/)
  })

  it('an outside-a-range condition needs setBelow below setAbove', async () => {
    await refusedWith([lidar({ alarms: [alarm({ when: { channel: 'distanceM', setAbove: 5, setBelow: 5 } })] })], 'tasks[0].alarms[0].when.setBelow', /must be below setAbove \(5\)/)
    await refusedWith([lidar({ alarms: [alarm({ when: { channel: 'distanceM', setAbove: 2, setBelow: 6 } })] })], 'tasks[0].alarms[0].when.setBelow', /must be below setAbove \(2\): otherwise every value is in alarm/)
  })

  it('a level condition without setAbove or setBelow is refused at its own path inside a composite', async () => {
    const when = { any: [{ channel: 'distanceM', setBelow: 1 }, { channel: 'signalStrength' }] }
    await refusedWith([lidar({ alarms: [alarm({ when })] })], 'tasks[0].alarms[0].when.any[1]', /give setAbove, setBelow or both/)
  })

  it('a tree that mixes technical and level leaves, however deep, is refused at the alarm’s when', async () => {
    const shallow = { any: [{ technical: ['fault'] }, { channel: 'distanceM', setBelow: 1 }] }
    await refusedWith([lidar({ alarms: [alarm({ when: shallow })] })], 'tasks[0].alarms[0].when', /mixes technical conditions .* with value conditions/)
    const deep = { all: [{ any: [{ technical: ['stale'], channels: ['distanceM'] }] }, { all: [{ channel: 'distanceM', setBelow: 1 }] }] }
    await refusedWith([lidar({ alarms: [alarm({ when: deep })] })], 'tasks[0].alarms[0].when', /make them two alarms/)
  })
})

describe('binding alarm actions', () => {
  it('an action on an output the board does not have names the outputs', async () => {
    await refusedWith([lidar({ alarms: [alarm({ actions: [{ output: 'horn' }] })] })], 'tasks[0].alarms[0].actions[0].output', /board 'sim' has no GPIO "horn" \(outputs: statusLed, brake, buzzer\)/)
  })

  it('an action on an input is refused', async () => {
    await refusedWith([lidar({ alarms: [alarm({ actions: [{ output: 'brake' }, { output: 'button' }] })] })], 'tasks[0].alarms[0].actions[1].output', /board 'sim' has an input, not an output, "button" \(outputs: statusLed, brake, buzzer\)/)
  })

  it('an action whose clearLevel is its level, or an output driven twice by one alarm, is refused', async () => {
    await refusedWith([lidar({ alarms: [alarm({ actions: [{ output: 'buzzer', level: 1, clearLevel: 1 }] })] })], 'tasks[0].alarms[0].actions[0].clearLevel', /must differ from level \(1\)/)
    await refusedWith([lidar({ alarms: [alarm({ actions: [{ output: 'brake' }, { output: 'brake' }] })] })], 'tasks[0].alarms[0].actions[1].output', /"brake" is already driven by this alarm/)
  })

  it('every alarm that drives an output must agree on its resting level, across tasks', async () => {
    const tasks = [
      lidar({ alarms: [alarm({ actions: [{ output: 'buzzer', level: 1 }] })] }),
      // level 0 rests at 1 by default, the first alarm's buzzer rests at 0
      closeRange({ alarms: [alarm({ id: 'near', actions: [{ output: 'buzzer', level: 0 }] })] }),
    ]
    await refusedWith(tasks, 'tasks[1].alarms[0].actions[0].clearLevel', /"buzzer" rests at 0 by tasks\[0\]\.alarms\[0\]\.actions\[0\]; every alarm that drives an output must agree on its resting level/)
  })

  it('alarms that agree on the resting level bind', async () => {
    const tasks = [
      lidar({ alarms: [alarm({ actions: [{ output: 'buzzer', level: 1 }] })] }),
      closeRange({ alarms: [alarm({ id: 'near', severity: 'high', actions: [{ output: 'buzzer', level: 1, clearLevel: 0, holdUntil: 'acknowledge' }] })] }),
    ]
    assert.deepEqual((await issuesOf(tasks)).issues, [])
  })

  it('a fail-safe alarm needs actions', async () => {
    await refusedWith([lidar({ alarms: [alarm({ failSafe: true })] })], 'tasks[0].alarms[0].failSafe', /a fail-safe alarm guards the outputs its actions drive, and this one has no actions/)
    await refusedWith([lidar({ alarms: [alarm({ failSafe: { afterSamples: 3 } })] })], 'tasks[0].alarms[0].failSafe', /has no actions/)
  })
})

describe('binding a whole table', () => {
  it('reports every problem at once: three mistakes, three issues', async () => {
    const tasks = [
      lidar({
        processing: { rangeM: { filters: [] } },
        alarms: [alarm({ when: { channel: 'distanceM', setBelow: 1, clearBelow: 0.5 } }), alarm({ id: 'stop', actions: [{ output: 'horn' }] })],
      }),
    ]
    const { issues } = await issuesOf(tasks)
    assert.deepEqual(
      issues.map(issue => issue.path),
      ['tasks[0].processing.rangeM', 'tasks[0].alarms[0].when.clearBelow', 'tasks[0].alarms[1].actions[0].output'],
      listed(issues),
    )
  })

  for (const name of ['vehicle-braking.json', 'patient-vitals.json']) {
    it(`the shipped tasks/${name} loads without issues`, async () => {
      const config = await loadConfig('sim', shipped(name))
      assert.deepEqual(readingStageIssues(config.table, config.board, SENSOR_DESCRIPTORS), [])
      assert.equal(config.admission.feasible, true)
    })
  }

  it('readingStageIssues is [] for a table without sample tasks', async () => {
    const { board } = await loadBoard('sim')
    const table = TaskTable.parse({ version: 1, scheduling: { policy: 'fifo' }, tasks: [{ id: 's', kind: 'synthetic', periodMs: 10, budgetMs: 1, computeMs: 0.5 }] })
    assert.deepEqual(readingStageIssues(table, board, SENSOR_DESCRIPTORS), [])
  })
})

describe('unknown keys in alarms (the schema is strict)', () => {
  it('an unknown key of an alarm is refused with a did-you-mean', async () => {
    const { issues } = await issuesOf([lidar({ alarms: [alarm({ severty: 'high' })] })])
    // the severity is missing too: the typo took its place
    assert.ok(
      issues.some(issue => issue.path === 'tasks[0].alarms[0]' && issue.message === 'unknown key "severty" (did you mean "severity"?)'),
      listed(issues),
    )
  })

  it('an unknown key of an action is refused with a did-you-mean', async () => {
    const { issues } = await issuesOf([lidar({ alarms: [alarm({ actions: [{ output: 'buzzer', holdUntill: 'acknowledge' }] })] })])
    assert.deepEqual(
      issues.map(issue => `${issue.path}: ${issue.message}`),
      ['tasks[0].alarms[0].actions[0]: unknown key "holdUntill" (did you mean "holdUntil"?)'],
    )
  })

  it('an unknown key of a condition is refused with a did-you-mean', async () => {
    const { issues } = await issuesOf([lidar({ alarms: [alarm({ when: { channel: 'distanceM', setBelow: 1, clearBelw: 1.5 } })] })])
    assert.deepEqual(
      issues.map(issue => `${issue.path}: ${issue.message}`),
      ['tasks[0].alarms[0].when: unknown key "clearBelw" (did you mean "clearBelow"?)'],
    )
  })
})
