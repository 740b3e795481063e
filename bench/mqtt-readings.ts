import type { TelemetryReading } from '../runtime/telemetry/messages.ts'
import type { TapEntry } from '../runtime/telemetry/tap.ts'

/** The task whose readings the throughput benchmark publishes: the vehicle table's 100 Hz lidar. */
export const BENCH_TASK = 'lidar'

/** Readings per batch: the runtime's default count limit (runtime/telemetry/batcher.ts DEFAULT_BATCH_LIMITS). */
export const READINGS_PER_BATCH = 50

/** First sample time of the synthetic timeline, epoch ms (fixed, so every run's bodies are alike). */
const START_WALL_MS = 1_763_700_000_000.125
const PERIOD_MS = 10

/**
 * Reading `index` of a synthetic 100 Hz lidar stream, as the rt thread hands it to the
 * telemetry (runtime/telemetry/tap.ts): full-precision doubles, a time-to-collision that is null
 * half of the time (nothing closing), the same shape for the edgert path and the raw publisher.
 */
export function tapEntry(index: number): TapEntry {
  const distanceM = 2 + Math.sin(index / 100)
  const closingSpeedMps = Math.cos(index / 100) / 100
  return { taskId: BENCH_TASK, t: START_WALL_MS + index * PERIOD_MS, quality: 'good', values: { distanceM, closingSpeedMps, timeToCollisionS: closingSpeedMps > 0 ? distanceM / closingSpeedMps : null } }
}

/** Readings `from` … `from + count - 1` as the tap would hand them over. */
export function tapEntries(from: number, count: number): TapEntry[] {
  const entries = new Array<TapEntry>(count)
  for (let i = 0; i < count; i++) entries[i] = tapEntry(from + i)
  return entries
}

/**
 * Batch `batch` (from 0) as TelemetryBatcher builds it: readings batch·50 … batch·50 + 49 with
 * seq consecutive from 1, so telemetryBatchMessage() gives the body the edgert path publishes.
 */
export function batchReadings(batch: number): TelemetryReading[] {
  const readings = new Array<TelemetryReading>(READINGS_PER_BATCH)
  for (let i = 0; i < READINGS_PER_BATCH; i++) {
    const index = batch * READINGS_PER_BATCH + i
    const { taskId: _taskId, ...reading } = tapEntry(index)
    readings[i] = { seq: index + 1, ...reading }
  }
  return readings
}
