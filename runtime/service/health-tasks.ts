import type { TaskTable } from '../../tasks/schema.ts'
import type { RunStatus } from '../rt-thread/host.ts'
import type { HealthSample, HealthTask } from './health.ts'

/**
 * The tasks the watchdog watches, from the table. A task is critical when the table says so or,
 * by default, when it is on the safety path: its alarms drive outputs, or its misses put the
 * outputs in their safe state.
 */
export function healthTasks(table: TaskTable): HealthTask[] {
  return table.tasks.map(task => ({
    id: task.id,
    periodMs: task.periodMs,
    periodic: task.release === undefined,
    critical: task.critical ?? (task.onMiss === 'safe-state' || (task.kind === 'sample' && (task.alarms ?? []).some(alarm => alarm.actions.length > 0))),
  }))
}

/** A health sample from the runtime's status. */
export function healthSample(atMs: number, status: RunStatus): HealthSample {
  return { atMs, tasks: status.metrics.map(({ id, released, deadlineMisses }) => ({ id, released, deadlineMisses })), paused: status.paused ?? [] }
}
