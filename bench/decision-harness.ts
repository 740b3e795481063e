import type { Reading } from '../drivers/sensors/sensor.ts'
import type { Clock } from '../runtime/clock.ts'
import { boot, type Runtime } from '../runtime/boot.ts'
import type { AlarmEngine } from '../runtime/alarms/engine.ts'
import type { TaskPipeline } from '../runtime/alarms/task-pipeline.ts'
import { LIDAR_PERIOD_MS, loadTogglingVehicle } from './vehicle-table.ts'

/**
 * A clock moved by hand, synchronously. The harness's runtime is never started, so nothing
 * sleeps on it; a sleep only ends by its signal.
 */
class HandClock implements Clock {
  nowMs = 0

  now(): number {
    return this.nowMs
  }

  sleep(_ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason as unknown), { once: true }))
  }
}

/** A TF-Luna reading (drivers/sensors/tf-luna/reading.ts) that the harness rewrites in place. */
interface LidarReading {
  atMs: number
  quality: 'good'
  distanceM: number
  signalStrength: number
  temperatureC: number
}

/**
 * The lidar job's decision path without the scheduler, the driver or the clock's wake-ups: the
 * booted (never started) runtime of the unlatched vehicle table (vehicle-table.ts) on the sim
 * board, and one reading object rewritten in place, so the harness itself allocates nothing per
 * step. decide() is what boot's onReading does in the job: TaskPipeline.onReading, then
 * AlarmEngine.evaluateTask (→ OutputArbiter.settle → Actuators.write → sim OutputPin.write).
 */
export interface DecisionHarness {
  readonly runtime: Runtime
  readonly pipeline: TaskPipeline
  readonly engine: AlarmEngine
  /** One lidar period later, a good reading of `distanceM` through the pipeline only. */
  step(distanceM: number): void
  /** One lidar period later, a good reading of `distanceM` through the pipeline and the alarms; the brake write when one is due. */
  decide(distanceM: number): Promise<void> | undefined
  /** What step() does to the time and the reading, and nothing else (to subtract the harness's own cost). */
  idle(distanceM: number): void
  close(): Promise<void>
}

/** A distance that raises collision-imminent (below 1 m) and one that clears it (above 1.5 m, opening). */
export const NEAR_M = 0.5
export const FAR_M = 3

export async function openDecisionHarness(options: { now?: () => number } = {}): Promise<DecisionHarness> {
  const hand = new HandClock()
  const clock: Clock = options.now === undefined ? hand : { now: options.now, sleep: (ms, signal) => hand.sleep(ms, signal) }
  const runtime = await boot(await loadTogglingVehicle(), { clock })
  const pipeline = runtime.alarms.pipelines.get('lidar')!
  const engine = runtime.alarms.engine
  const reading: LidarReading = { atMs: 0, quality: 'good', distanceM: FAR_M, signalStrength: 1200, temperatureC: 35 }
  const advance = options.now === undefined ? () => void (hand.nowMs += LIDAR_PERIOD_MS) : () => undefined
  const idle = (distanceM: number): void => {
    advance()
    reading.atMs = clock.now()
    reading.distanceM = distanceM
  }
  const step = (distanceM: number): void => {
    idle(distanceM)
    pipeline.onReading(reading)
  }
  const decide = (distanceM: number): Promise<void> | undefined => {
    step(distanceM)
    return engine.evaluateTask('lidar')
  }
  // The brake rests released only once every alarm driving it has decided (docs/alarms.md,
  // Outputs 5): the close-range sensor's obstacle-close too, so it gets one clear reading.
  const clear: Reading & { distanceM: number; signalRateMcps: number } = { atMs: clock.now(), quality: 'good', distanceM: 1.5, signalRateMcps: 20 }
  runtime.alarms.pipelines.get('close-range')!.onReading(clear)
  await engine.evaluateTask('close-range')
  for (let i = 0; i < 10; i++) await decide(FAR_M)
  if (runtime.actuators.level('brake') !== 0) throw new Error('decision harness: the brake was not released by clear readings')
  await decide(NEAR_M)
  await decide(NEAR_M)
  if (runtime.actuators.level('brake') !== 1) throw new Error('decision harness: two near readings did not set the brake')
  for (let i = 0; i < 4; i++) await decide(FAR_M)
  if (runtime.actuators.level('brake') !== 0) throw new Error('decision harness: far readings did not release the brake')
  return { runtime, pipeline, engine, step, decide, idle, close: () => runtime.stop() }
}
