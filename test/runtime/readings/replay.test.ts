import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { Recorder } from '../../../runtime/readings/recorder.ts'
import { ReplaySensor, readRecording } from '../../../runtime/readings/replay.ts'
import { VirtualClock } from '../../../runtime/virtual-clock.ts'
import { tempDir } from '../../helpers/temp-files.ts'

const { dir, write } = tempDir()

describe('recording and replay', () => {
  it('records readings as NDJSON with a header, and reads them back per device with offsets from the start', async () => {
    const file = `${dir}/trace.ndjson`
    const recorder = new Recorder(file, { board: 'sim', tasks: 'tasks.json', startMs: 100 })
    recorder.record('lidar', 'lidar', { atMs: 110, quality: 'good', distanceM: 12.5 } as never)
    recorder.record('env', 'environment', { atMs: 150, quality: 'fault', fault: 'out-of-range', temperatureC: 99 } as never)
    recorder.record('lidar', 'lidar', { atMs: 120, quality: 'good', distanceM: 12.4 } as never)
    await recorder.close()
    const lines = readFileSync(file, 'utf8').trim().split('\n').map(line => JSON.parse(line) as Record<string, unknown>)
    assert.deepEqual(lines[0], { edgert: 'recording', version: 1, board: 'sim', tasks: 'tasks.json', startMs: 100 })
    assert.deepEqual(lines[1], { task: 'lidar', device: 'lidar', atMs: 110, quality: 'good', distanceM: 12.5 })
    const recording = await readRecording(file)
    assert.deepEqual(recording.byDevice.get('lidar')?.map(r => r.offsetMs), [10, 20])
    assert.deepEqual(recording.byDevice.get('environment')?.[0]?.reading, { atMs: 150, quality: 'fault', fault: 'out-of-range', temperatureC: 99 })
  })

  it('plays a device back on the new run’s timeline, newest due reading first, and says when it has nothing', async () => {
    const clock = new VirtualClock()
    await clock.advance(1000)
    const readings = [10, 20, 30].map(offsetMs => ({ offsetMs, reading: { atMs: offsetMs, quality: 'good' as const, distanceM: offsetMs / 10 } }))
    const sensor = new ReplaySensor('lidar', readings, clock, 1000)
    await assert.rejects(sensor.sample(), { name: 'DriverError', kind: 'timeout', message: /no recorded reading is due yet/ })
    await clock.advance(10)
    assert.deepEqual(await sensor.sample(), { atMs: 1010, quality: 'good', distanceM: 1 })
    await clock.advance(25) // 20 and 30 are both due: the newest is returned
    assert.deepEqual(await sensor.sample(), { atMs: 1030, quality: 'good', distanceM: 3 })
    await assert.rejects(sensor.sample(), { name: 'DriverError', kind: 'timeout', message: /no more readings/ })
  })

  it('refuses a file that is not a recording, naming each bad line', async () => {
    const file = write('bad.ndjson', '{"hello":1}\nnot json\n{"device":"x"}\n')
    await assert.rejects(readRecording(file), (error: Error & { issues?: { path: string; message: string }[] }) => {
      const paths = error.issues?.map(issue => issue.path)
      assert.deepEqual(paths?.sort(), ['line 1', 'line 2', 'line 3'])
      return error.name === 'ConfigError'
    })
  })
})
