import { FAULT_KINDS_BY_BUS, type DeviceBus } from './fault.ts'
import type { ScenarioIssue } from './issues.ts'
import type { Scenario } from './schema.ts'

/**
 * Checks a validated scenario's faults against the board it will run on: each device must exist,
 * and the fault must make sense on its bus (no "disconnect" for an I2C chip, no "nack" for a
 * serial line). `devices` maps the board's device names to their bus kind, e.g.
 * `{ distance: 'i2c', lidar: 'serial' }`. Returns every problem, not the first.
 */
export function scenarioDeviceIssues(scenario: Scenario, devices: Readonly<Record<string, DeviceBus>>, file: string): ScenarioIssue[] {
  const issues: ScenarioIssue[] = []
  const known = Object.keys(devices)
  scenario.events.forEach((entry, index) => {
    const fault = entry.fault
    if (fault === undefined) return
    const bus = Object.hasOwn(devices, fault.device) ? devices[fault.device] : undefined
    if (bus === undefined) {
      issues.push({ file, path: `events[${index}].fault.device`, message: `the board has no device "${fault.device}" (it has: ${known.join(', ') || 'none'})` })
      return
    }
    const allowed: readonly string[] = FAULT_KINDS_BY_BUS[bus]
    if (!allowed.includes(fault.kind)) {
      issues.push({ file, path: `events[${index}].fault.kind`, message: `"${fault.kind}" does not apply to ${bus} device "${fault.device}" (it takes: ${allowed.join(', ')})` })
    }
  })
  return issues
}
