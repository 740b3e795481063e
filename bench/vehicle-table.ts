import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadConfig, type LoadedConfig } from '../runtime/config/load.ts'

/** The shipped braking table the decision benchmarks run (docs/alarms.md). */
export const VEHICLE_TABLE = fileURLToPath(new URL('../tasks/vehicle-braking.json', import.meta.url))

/** The lidar task's period in the table, ms: one reading per period. */
export const LIDAR_PERIOD_MS = 10

/** BCM line of the board output "brake" on the sim board (boards/sim.json). */
export const BRAKE_LINE = 22

/**
 * The shipped vehicle table on the sim board, with every `latch` turned off, so that each raise
 * and each clear of collision-imminent writes the brake (latched, the brake would be written once
 * and then held until a reset). Nothing else changes: thresholds (distance set below 1 m, clear
 * above 1.5 m; time-to-collision 1.5 / 2.5 s), filters, derived channels, failSafe, the buzzer
 * action and the other tasks are as shipped. A distance moved between 0.5 m and 3 m crosses both
 * hysteresis bands, so the brake toggles.
 */
export async function loadTogglingVehicle(): Promise<LoadedConfig> {
  const table = JSON.parse(readFileSync(VEHICLE_TABLE, 'utf8')) as { description?: string; tasks: { alarms?: { latch?: boolean }[] }[] }
  for (const task of table.tasks) for (const alarm of task.alarms ?? []) if (alarm.latch === true) alarm.latch = false
  table.description = `bench copy of ${VEHICLE_TABLE} without latches (bench/vehicle-table.ts)`
  const dir = mkdtempSync(join(tmpdir(), 'edgert-bench-'))
  try {
    const file = join(dir, 'vehicle-braking-unlatched.json')
    writeFileSync(file, `${JSON.stringify(table, null, 2)}\n`)
    return await loadConfig('sim', file)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
