import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadConfig, type LoadedConfig } from '../runtime/config/load.ts'
import type { Policy } from '../runtime/scheduler/types.ts'

/** The deadline-miss benchmark's table: U = 0.70 of busy-waiting at 1/2/5/10/20 ms (its description says how). */
export const MISSES_TABLE = fileURLToPath(new URL('misses-table.json', import.meta.url))

/**
 * The table loaded, bound and admitted on the sim board under `policy` (the file says edf; the
 * priorities in it are rate-monotonic, for `priority`). A copy with the policy replaced goes
 * through loadConfig, so what runs is exactly what `edgert plan` analyses.
 */
export async function loadMissesTable(policy: Policy): Promise<LoadedConfig> {
  const table = JSON.parse(readFileSync(MISSES_TABLE, 'utf8')) as { scheduling: { policy: string }; $schema?: string }
  table.scheduling.policy = policy
  delete table.$schema
  const dir = mkdtempSync(join(tmpdir(), 'edgert-misses-'))
  try {
    const file = join(dir, `misses-${policy}.json`)
    writeFileSync(file, `${JSON.stringify(table, null, 2)}\n`)
    return await loadConfig('sim', file)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Utilisation of the busy-waits (computeMs / periodMs summed): what the jobs really take. */
export function executionUtilization(config: LoadedConfig): number {
  return config.table.tasks.reduce((sum, task) => sum + (task.kind === 'synthetic' ? task.computeMs / task.periodMs : 0), 0)
}
