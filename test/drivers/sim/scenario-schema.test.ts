import assert from 'node:assert/strict'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { ScenarioError, type ScenarioIssue } from '../../../drivers/sim/scenario/issues.ts'
import { scenarioJsonSchema } from '../../../drivers/sim/scenario/json-schema.ts'
import { parseScenarioText, readScenarioFile, validateScenario } from '../../../drivers/sim/scenario/parse.ts'
import { tempDir } from '../../helpers/temp-files.ts'

const FILE = 'test.json'

function issuesOf(data: unknown): ScenarioIssue[] {
  const parsed = validateScenario(data, FILE)
  assert.equal(parsed.ok, false, 'expected the scenario to be refused')
  return parsed.ok ? [] : [...parsed.issues]
}

/** Each issue as `path: message`, for compact assertions. */
const lines = (issues: readonly ScenarioIssue[]): string[] => issues.map(issue => `${issue.path}: ${issue.message}`)

function assertIssue(issues: readonly ScenarioIssue[], path: string, pattern: RegExp): void {
  assert.ok(
    issues.some(issue => issue.path === path && pattern.test(issue.message)),
    `no issue at ${path} matching ${pattern}; got:\n${lines(issues).join('\n')}`,
  )
}

describe('scenario schema', () => {
  it('accepts a minimal scenario of each world, and fills in the defaults', () => {
    for (const world of ['vehicle', 'patient', 'environment']) {
      const parsed = validateScenario({ version: 1, world }, FILE)
      assert.ok(parsed.ok, world)
      assert.deepEqual(parsed.scenario.events, [])
    }
  })

  it('defaults a transaction fault to one transaction and a stuck device to 0xFF', () => {
    const parsed = validateScenario(
      { version: 1, world: 'vehicle', events: [{ atS: 1, fault: { device: 'distance', kind: 'nack' } }, { atS: 2, fault: { device: 'imu', kind: 'stuck' } }] },
      FILE,
    )
    assert.ok(parsed.ok)
    assert.deepEqual(
      parsed.scenario.events.map(event => event.fault),
      [
        { device: 'distance', kind: 'nack', count: 1 },
        { device: 'imu', kind: 'stuck', value: 0xff },
      ],
    )
  })

  it('reports every problem at once, each with its JSON path', () => {
    const issues = issuesOf({
      version: 1,
      world: 'vehicle',
      initial: { speedMps: -1, spedMps: 3 },
      events: [
        { atS: 5, set: { obstacleDistanceM: 60 } },
        { atS: 6, event: 'tachycardia' },
        { atS: 7, fault: { device: 'lidar', kind: 'melt' } },
        { atS: 8 },
        { atS: 9, fault: { device: 'Lidar', kind: 'stuck', value: 300 } },
        { atS: 10, fault: { device: 'distance', kind: 'nack', count: 2, value: 1 } },
      ],
    })
    assertIssue(issues, 'initial.speedMps', />=0/)
    assertIssue(issues, 'initial', /unknown key "spedMps"/)
    assertIssue(issues, 'events[1].event', /obstacle-cleared/)
    assertIssue(issues, 'events[2].fault.kind', /'nack' \| 'timeout' \| 'bus' \| 'stuck' \| 'lock-up' \| 'disconnect' \| 'clear'/)
    assertIssue(issues, 'events[3]', /needs at least one of "set", "event" or "fault"/)
    assertIssue(issues, 'events[4].fault.device', /board device name/)
    assertIssue(issues, 'events[4].fault.value', /<=255/)
    assertIssue(issues, 'events[5].fault', /unknown key "value"/)
    assert.equal(issues.length, 8, lines(issues).join('\n'))
  })

  it('refuses times that go backwards or past the end, alongside other problems', () => {
    const issues = issuesOf({
      version: 1,
      world: 'patient',
      initial: { heartRateBpm: 500 },
      events: [
        { atS: 5, event: 'fever' },
        { atS: 2, event: 'recover' },
        { atS: 5, event: 'probe-off' },
        { atS: 12, event: 'probe-on' },
      ],
      durationS: 10,
    })
    assert.deepEqual(lines(issues), [
      'initial.heartRateBpm: Too big: expected number to be <=300',
      'events[1].atS: 2 s is before events[0] (5 s): times must not decrease',
      'events[3].atS: 12 s is after the end of the scenario (durationS 10 s)',
    ])
  })

  it('accepts events at the same time, in file order', () => {
    const parsed = validateScenario({ version: 1, world: 'patient', events: [{ atS: 1, event: 'fever' }, { atS: 1, event: 'probe-off' }] }, FILE)
    assert.ok(parsed.ok)
  })

  it('checks the world-specific fields against the world named', () => {
    assertIssue(issuesOf({ version: 1, world: 'patient', initial: { speedMps: 3 } }), 'initial', /unknown key "speedMps"/)
    assertIssue(issuesOf({ version: 1, world: 'environment', events: [{ atS: 0, set: { battery: { fullV: 3, emptyV: 4 } } }] }), 'events[0].set.battery.emptyV', /below fullV/)
    assertIssue(issuesOf({ version: 1, world: 'environment', initial: { potentiometer: { channel: 4 } } }), 'initial.potentiometer.channel', /expected one of 0\|1\|2\|3/)
    assertIssue(issuesOf({ version: 1, world: 'environment', events: [{ atS: 0, event: 'tachycardia' }] }), 'events[0].event', /heatwave/)
  })

  it('still reports the rest of the file when the world is unknown', () => {
    const issues = issuesOf({ version: 2, world: 'spaceship', events: [{ atS: 5 }, { atS: 1, fault: { device: 'x', kind: 'nack', count: 0 } }] })
    assert.deepEqual(lines(issues), [
      "world: Invalid discriminator value. Expected 'vehicle' | 'patient' | 'environment'",
      'version: Invalid input: expected 1',
      'events[0]: needs at least one of "set", "event" or "fault"',
      'events[1].fault.count: Too small: expected number to be >0',
      'events[1].atS: 1 s is before events[0] (5 s): times must not decrease',
    ])
  })

  it('refuses a document that is not an object', () => {
    assert.deepEqual(lines(issuesOf([1])), ['(root): Invalid input: expected object, received array'])
  })

  it('reports a JSON syntax error with its line and column, without throwing', () => {
    const parsed = parseScenarioText('{\n  "version": 1\n  "world": "vehicle"\n}', FILE)
    assert.deepEqual(parsed, { ok: false, issues: [{ file: FILE, path: '(file)', message: "not valid JSON: Expected ',' or '}' after property value at line 3, column 3" }] })
  })

  it('describes the JSON Schema for editors from the same zod schema', () => {
    const schema = scenarioJsonSchema() as { title: string; oneOf: { properties: { world: { const: string } } }[] }
    assert.equal(schema.title, 'edgert simulation scenario')
    assert.deepEqual(
      schema.oneOf.map(option => option.properties.world.const),
      ['vehicle', 'patient', 'environment'],
    )
  })
})

describe('readScenarioFile', () => {
  const { dir, write } = tempDir()

  it('rejects with a ScenarioError listing every problem, its message naming the file and paths', async () => {
    const file = write('bad.json', { version: 1, world: 'vehicle', events: [{ atS: -1, set: { speedMps: 'fast' } }] })
    await assert.rejects(readScenarioFile(file), (error: unknown) => {
      assert.ok(error instanceof ScenarioError)
      assert.deepEqual(
        error.issues.map(issue => issue.path),
        ['events[0].atS', 'events[0].set.speedMps'],
      )
      assert.match(error.message, /^2 problems in the scenario:\n {2}.*bad\.json: events\[0\]\.atS: /)
      return true
    })
  })

  it('rejects with a ScenarioError when the file cannot be read', async () => {
    await assert.rejects(readScenarioFile(join(dir, 'missing.json')), { name: 'ScenarioError', message: /\(file\): cannot read it: no such file/ })
  })

  it('resolves with the validated scenario', async () => {
    const file = write('good.json', { version: 1, world: 'patient', events: [{ atS: 1, event: 'fever' }], durationS: 5 })
    const scenario = await readScenarioFile(file)
    assert.equal(scenario.world, 'patient')
    assert.equal(scenario.durationS, 5)
  })
})
