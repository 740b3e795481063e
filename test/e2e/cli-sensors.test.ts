import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { tempDir } from '../helpers/temp-files.ts'

// The sensor side of the CLI as a user runs it: real time, a second or two per run.
const { dir, write } = tempDir()
const edgert = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'runtime/cli/main.ts', ...args], { encoding: 'utf8', timeout: 60_000 })
const noStack = (text: string) => assert.doesNotMatch(text, /^\s+at .+:\d+:\d+\)?$/m, text)
const TABLE = write('env.json', {
  version: 1,
  scheduling: { policy: 'priority' },
  tasks: [
    { id: 'environment', kind: 'sample', device: 'environment', periodMs: 100, budgetMs: 5, priority: 2 },
    { id: 'body', kind: 'sample', device: 'bodyTemp', periodMs: 100, budgetMs: 5, priority: 1 },
  ],
})

describe('edgert run with sensors', () => {
  it('samples the sim board’s chips and prints their newest readings; --record writes them as NDJSON', () => {
    const recording = join(dir, 'trace.ndjson')
    const result = edgert('run', '--board', 'sim', '--tasks', TABLE, '--duration', '1.5', '--quiet', '--record', recording)
    assert.equal(result.status, 0, result.stderr)
    assert.match(result.stdout, /environment\s+\d+\s+good\s+temperatureC [\d.]+ {2}pressurePa [\d.]+ {2}humidityPct [\d.]+/)
    assert.match(result.stderr, /recorded \d+ reading\(s\) to/)
    const lines = readFileSync(recording, 'utf8').trim().split('\n').map(line => JSON.parse(line) as Record<string, unknown>)
    assert.equal(lines[0]!.edgert, 'recording')
    assert.ok(lines.slice(1).some(line => line.device === 'bodyTemp' && typeof line.temperatureC === 'number'))
  })

  it('--replay plays a recording back through the same tasks', () => {
    const recording = write('replay.ndjson', [
      JSON.stringify({ edgert: 'recording', version: 1, board: 'sim', tasks: 'x', startMs: 0 }),
      ...[0, 100, 200, 300, 400].map(atMs => JSON.stringify({ task: 'body', device: 'bodyTemp', atMs, quality: 'good', temperatureC: 38.25 })),
    ].join('\n'))
    const result = edgert('run', '--board', 'sim', '--tasks', TABLE, '--duration', '1', '--quiet', '--replay', recording)
    assert.equal(result.status, 0, result.stderr)
    assert.match(result.stdout, /body\s+\d+\s+good\s+temperatureC 38\.25/)
  })

  it('--scenario drives the emulators from a world model, and the run ends with the world’s report', () => {
    const scenario = write('fever.json', { version: 1, world: 'patient', durationS: 1.5, initial: { temperatureC: 39.5 }, events: [] })
    const result = edgert('run', '--board', 'sim', '--tasks', TABLE, '--quiet', '--scenario', scenario)
    assert.equal(result.status, 0, result.stderr)
    assert.match(result.stderr, /for 1\.5 s/)
    assert.match(result.stdout, /body\s+\d+\s+good\s+temperatureC 39\.5/)
    assert.match(result.stdout, /scenario: at the end .*temperatureC 39\.5/)
  })

  it('a bad scenario is refused before anything runs, each problem with its path, and exits 2', () => {
    const scenario = write('bad-scenario.json', { version: 1, world: 'patient', events: [{ atS: 2, fault: { device: 'toaster', kind: 'nack' } }, { atS: 1, event: 'hiccups' }] })
    const result = edgert('run', '--board', 'sim', '--tasks', TABLE, '--quiet', '--scenario', scenario)
    assert.equal(result.status, 2)
    assert.match(result.stderr, /events\[1\]/)
    noStack(result.stderr)
    const unknownDevice = write('device-scenario.json', { version: 1, world: 'patient', events: [{ atS: 1, fault: { device: 'toaster', kind: 'nack' } }] })
    const second = edgert('run', '--board', 'sim', '--tasks', TABLE, '--quiet', '--scenario', unknownDevice)
    assert.equal(second.status, 2)
    assert.match(second.stderr, /events\[0\]\.fault\.device: the board has no device "toaster"/)
  })

  it('a scenario on a Linux board is refused as bad input', () => {
    const scenario = write('ok-scenario.json', { version: 1, world: 'patient', events: [] })
    const result = edgert('run', '--board', 'raspberry-pi-4b', '--tasks', TABLE, '--quiet', '--scenario', scenario)
    assert.equal(result.status, 2)
    assert.match(result.stderr, /a scenario drives the simulated board/)
    noStack(result.stderr)
  })

  it('a Pi board on a machine without its hardware fails with a clear message, not a stack trace', () => {
    const result = edgert('run', '--board', 'raspberry-pi-4b', '--tasks', TABLE, '--duration', '1', '--quiet')
    assert.equal(result.status, 1)
    assert.match(result.stderr, /\/dev\/i2c-1/)
    noStack(result.stderr)
  })
})
