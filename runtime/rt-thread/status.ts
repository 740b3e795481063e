import type { Runtime } from '../boot.ts'
import type { StatusFields } from './protocol.ts'

/** What a running runtime reports, as plain data (it crosses the thread boundary). */
export function runtimeStatus(runtime: Runtime): StatusFields {
  const metrics = runtime.scheduler.metrics()
  return { metrics, paused: metrics.filter(task => runtime.scheduler.isPaused(task.id)).map(task => task.id), readings: runtime.readings.snapshot(), alarms: runtime.alarms.engine.statuses(), outputs: runtime.actuators.levels() }
}
