import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { tempDir } from '../helpers/temp-files.ts'

const edgert = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'runtime/cli/main.ts', ...args], { encoding: 'utf8', timeout: 60_000 })
const { dir } = tempDir()

describe('edgert run with alarms (the npm start demo)', () => {
  it('the braking demo prints the alarm and the brake as they happen, and ends with the vehicle stopped short', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }
    assert.match(pkg.scripts.start, /run --board sim --tasks tasks\/vehicle-braking\.json --scenario scenarios\/vehicle-braking\.json/)
    const result = edgert('run', '--board', 'sim', '--tasks', 'tasks/vehicle-braking.json', '--scenario', 'scenarios/vehicle-braking.json', '--duration', '6', '--quiet')
    assert.equal(result.status, 0, result.stderr)
    const lines = result.stdout.split('\n')
    const raised = lines.findIndex(line => /alarm collision-imminent \(high\): RAISED/.test(line))
    assert.ok(raised >= 0, result.stdout)
    assert.ok(lines.some(line => /output brake → 1 \(alarm collision-imminent\)/.test(line)), result.stdout)
    assert.match(result.stdout, /collision-imminent\s+high\s+value\s+latched/)
    assert.match(result.stdout, /scenario: the vehicle stopped [\d.]+ m short of the obstacle/)
  })

  it('alarm states persist in --data-dir and come back at the next start, announced', () => {
    const data = join(dir, 'state')
    const first = edgert('run', '--board', 'sim', '--tasks', 'tasks/vehicle-braking.json', '--scenario', 'scenarios/vehicle-braking.json', '--duration', '6', '--quiet', '--data-dir', data)
    assert.equal(first.status, 0, first.stderr)
    const file = join(data, 'alarms-vehicle-braking.json')
    assert.ok(existsSync(file), 'the state file was written')
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { alarms: { id: string; state: string }[] }
    assert.equal(saved.alarms.find(alarm => alarm.id === 'collision-imminent')?.state, 'latched')
    const second = edgert('run', '--board', 'sim', '--tasks', 'tasks/vehicle-braking.json', '--scenario', 'scenarios/vehicle-braking.json', '--duration', '1', '--quiet', '--data-dir', data)
    assert.equal(second.status, 0, second.stderr)
    assert.match(second.stdout, /alarm collision-imminent \(high\): restored as latched/)
    assert.doesNotMatch(second.stdout, /output brake → 0/, 'a latched brake alarm keeps the brake on across a restart')
  })

  it('a corrupt state file is reported, kept aside, and the run starts with normal alarms', () => {
    const data = join(dir, 'corrupt')
    const file = join(data, 'alarms-vehicle-braking.json')
    mkdirSync(data, { recursive: true })
    writeFileSync(file, '{"version": 1, "alarms": [')
    const result = edgert('run', '--board', 'sim', '--tasks', 'tasks/vehicle-braking.json', '--duration', '0.5', '--quiet', '--data-dir', data)
    assert.equal(result.status, 0, result.stderr)
    assert.match(result.stderr, /alarms-vehicle-braking\.json/)
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace')
  })
})
