import { DriverError, type Reading, type Sensor } from '../../drivers/sensors/sensor.ts'
import type { JobContext } from '../scheduler/job-context.ts'

/** Consecutive failed samples after which the next job initialises the chip again (it may have lost power). */
const REINIT_AFTER_FAILURES = 3

/**
 * Why a sample job failed, keyed for the scheduler's metrics and restart policy: the HAL's kind
 * when the bus failed ('nack', 'timeout', 'bus'…), else the driver's ('identity', 'data', 'timeout').
 */
export class SampleError extends Error {
  override readonly name = 'SampleError'
  readonly kind: string
  readonly device: string

  constructor(device: string, error: unknown) {
    const cause = error instanceof DriverError ? (error.cause as { kind?: unknown } | undefined) : undefined
    const kind = error instanceof DriverError ? (error.kind === 'io' && typeof cause?.kind === 'string' ? cause.kind : error.kind) : 'other'
    super(`${device}: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
    this.kind = kind
    this.device = device
  }
}

export interface SampleJobOptions {
  readonly device: string
  readonly sensor: Sensor
  /** A reading older than this when its job ends is handed on as 'stale' (a streaming sensor's old frame, a replay). */
  readonly maxAgeMs: number
  readonly now: () => number
  /**
   * Gets every reading, in order, on the job that took it; a promise it returns (an actuator
   * write decided on the reading) is part of the job.
   */
  readonly onReading: (reading: Reading) => Promise<void> | undefined
  /** Told of every failed sample with its kind, before the job fails; a promise it returns is part of the job. */
  readonly onFailure?: (kind: string) => Promise<void> | undefined
}

/**
 * The `sample` task kind: each job takes one measurement. The chip is initialised by the first
 * job (not at boot, so a sensor that is absent at start-up is a failing task, not a runtime that
 * will not start), and again after a wrong identity or REINIT_AFTER_FAILURES failures in a row.
 */
export function sampleJob(options: SampleJobOptions): (ctx: JobContext) => Promise<void> {
  const { device, sensor, onReading, onFailure, maxAgeMs, now } = options
  let ready = false
  let failures = 0
  return async ctx => {
    let reading: Reading
    try {
      if (!ready) {
        await sensor.init()
        ready = true
      }
      reading = await sensor.sample(ctx.signal)
      failures = 0
    } catch (error) {
      if (ctx.signal.aborted && error === ctx.signal.reason) throw error
      failures++
      if (failures >= REINIT_AFTER_FAILURES || (error instanceof DriverError && error.kind === 'identity')) ready = false
      const failed = new SampleError(device, error)
      const deciding = onFailure?.(failed.kind)
      if (deciding !== undefined) await deciding
      throw failed
    }
    // An output that fails to be written fails the job with the output's error, not as a failed sample.
    const deciding = onReading(reading.quality === 'good' && now() - reading.atMs > maxAgeMs ? { ...reading, quality: 'stale' } : reading)
    if (deciding !== undefined) await deciding
  }
}
