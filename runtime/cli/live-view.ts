import type { Reading } from '../../drivers/sensors/sensor.ts'
import type { RunStatus } from '../rt-thread/host.ts'
import type { TaskMetricsSnapshot } from '../scheduler/task-metrics.ts'
import { alarmsTable } from './alarm-view.ts'
import { textTable } from './table.ts'

/**
 * What `edgert run` prints every few seconds: the scheduler's figures, the newest readings, the
 * alarms and outputs, and (on a terminal, which the table redraws) the latest alarm and output events.
 */
export function liveView(status: RunStatus, elapsedS: number, tty: boolean, recentEvents: readonly string[] = []): string {
  const clear = tty ? '\x1b[H\x1b[2J' : '\n'
  const readings = readingsTable(status.readings)
  const events = tty && recentEvents.length > 0 ? `\n\nlatest events:\n${recentEvents.join('\n')}` : ''
  return `${clear}edgert — ${elapsedS.toFixed(1)} s\n${metricsTable(status.metrics)}${readings === '' ? '' : `\n\n${readings}`}\n\n${alarmsTable(status.alarms, status.outputs)}${events}`
}

/** Per-task figures; times in ms. `aborted` includes the jobs cut short by stopping. */
export function metricsTable(metrics: readonly TaskMetricsSnapshot[]): string {
  return textTable(
    ['task', 'released', 'done', 'failed', 'aborted', 'missed', 'skipped', 'late p50', 'late p99', 'late max', 'resp p99', 'exec max'],
    metrics.map(m => [m.id, m.released, m.completed, m.failed, m.aborted, m.deadlineMisses, m.skippedReleases, m.lateness.p50Ms, m.lateness.p99Ms, m.lateness.maxMs, m.responseTime.p99Ms, m.executionTime.maxMs]),
  )
}

/** The newest reading of each sample task: its values with their units, its quality and age. */
export function readingsTable(readings: RunStatus['readings']): string {
  const rows = Object.entries(readings).map(([taskId, { reading, count }]) => [taskId, count, quality(reading), values(reading)])
  return rows.length === 0 ? '' : textTable(['task', 'readings', 'quality', 'newest'], rows)
}

function quality(reading: Reading): string {
  return reading.quality === 'fault' && reading.fault !== undefined ? `fault (${reading.fault})` : reading.quality
}

/** "distanceM 12.503  signalStrength 900": every numeric field but the time. */
function values(reading: Reading): string {
  return Object.entries(reading)
    .filter(([field, value]) => field !== 'atMs' && typeof value === 'number')
    .map(([field, value]) => `${field} ${Number((value as number).toPrecision(6))}`)
    .join('  ')
}
