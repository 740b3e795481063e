import type { Runtime } from '../boot.ts'
import type { StatusFields } from './protocol.ts'

/** What a running runtime reports, as plain data (it crosses the thread boundary). */
export function runtimeStatus(runtime: Runtime): StatusFields {
  return { metrics: runtime.scheduler.metrics(), readings: runtime.readings.snapshot(), alarms: runtime.alarms.engine.statuses(), outputs: runtime.actuators.levels() }
}
