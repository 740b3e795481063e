import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { HalError } from '../../../drivers/hal/errors.ts'
import { DriverError, type Reading, type Sensor } from '../../../drivers/sensors/sensor.ts'
import type { JobContext } from '../../../runtime/scheduler/job-context.ts'
import { sampleJob } from '../../../runtime/task-kinds/sample.ts'

/** A sensor that answers from a script: a reading, or an error to reject with. */
function scriptedSensor(script: (Reading | Error)[]) {
  const calls: string[] = []
  const sensor: Sensor = {
    init: async () => void calls.push('init'),
    sample: async () => {
      calls.push('sample')
      const next = script.shift()
      if (next === undefined) throw new Error('script ended')
      if (next instanceof Error) throw next
      return next
    },
    close: async () => undefined,
  }
  return { sensor, calls }
}

const ctx = { signal: new AbortController().signal } as JobContext
const io = (kind: 'nack' | 'timeout') => new DriverError('chip', 'sample', 'io', 'bus failed', { cause: new HalError(kind, kind) })

describe('the sample task kind', () => {
  it('initialises the chip on the first job only, and hands each reading on', async () => {
    const { sensor, calls } = scriptedSensor([{ atMs: 0, quality: 'good' }, { atMs: 10, quality: 'good' }])
    const readings: Reading[] = []
    const job = sampleJob({ device: 'env', sensor, onReading: r => void readings.push(r), maxAgeMs: 100, now: () => 10 })
    await job(ctx)
    await job(ctx)
    assert.deepEqual(calls, ['init', 'sample', 'sample'])
    assert.deepEqual(readings.map(r => r.atMs), [0, 10])
  })

  it('marks a good reading older than maxAgeMs as stale, and leaves a fault a fault', async () => {
    const { sensor } = scriptedSensor([{ atMs: 0, quality: 'good' }, { atMs: 0, quality: 'fault', fault: 'checksum' }])
    const readings: Reading[] = []
    const job = sampleJob({ device: 'lidar', sensor, onReading: r => void readings.push(r), maxAgeMs: 30, now: () => 31 })
    await job(ctx)
    await job(ctx)
    assert.deepEqual(readings.map(r => r.quality), ['stale', 'fault'])
  })

  it('fails with the bus error’s kind, and initialises again after three failures in a row or a wrong identity', async () => {
    const { sensor, calls } = scriptedSensor([io('nack'), io('timeout'), io('nack'), { atMs: 0, quality: 'good' }, new DriverError('chip', 'sample', 'identity', 'wrong id'), { atMs: 0, quality: 'good' }])
    const job = sampleJob({ device: 'imu', sensor, onReading: () => undefined, maxAgeMs: 100, now: () => 0 })
    const kinds: string[] = []
    for (let i = 0; i < 6; i++) await job(ctx).catch((error: { kind: string; name: string; message: string }) => kinds.push(`${error.name}:${error.kind}`))
    assert.deepEqual(kinds, ['SampleError:nack', 'SampleError:timeout', 'SampleError:nack', 'SampleError:identity'])
    assert.deepEqual(calls, ['init', 'sample', 'sample', 'sample', 'init', 'sample', 'sample', 'init', 'sample'])
  })
})
