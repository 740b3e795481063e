import { readdir } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { BoardDefinition } from '../../boards/schema.ts'
import { TaskTable } from '../../tasks/schema.ts'
import { analyseAdmission, type AdmissionReport } from '../scheduler/admission.ts'
import type { SchedulingSettings, TaskTiming } from '../scheduler/types.ts'
import { SENSOR_DESCRIPTORS } from '../../drivers/sensors/registry.ts'
import { bindIssues, schedulingSettings, taskTimings } from './bind.ts'
import { boardChipIssues } from './bind-devices.ts'
import { ConfigError, type ConfigIssue } from './config-error.ts'
import { packageRoot } from './package-root.ts'
import { readJsonFile } from './read-json.ts'

/** A board and task table that validated, bound and passed (or were allowed past) admission. */
export interface LoadedConfig {
  readonly boardFile: string
  readonly board: BoardDefinition
  readonly tasksFile: string
  readonly table: TaskTable
  readonly settings: SchedulingSettings
  readonly timings: readonly TaskTiming[]
  readonly admission: AdmissionReport
}

/** Built-in board names (boards/*.json) and the aliases people type. */
const BOARD_ALIASES: Readonly<Record<string, string>> = { simulated: 'sim' }

/** Names of the boards shipped with edgert. */
export async function builtInBoards(): Promise<string[]> {
  const names = await readdir(join(packageRoot(), 'boards'))
  return names.filter(name => name.endsWith('.json')).map(name => basename(name, '.json')).sort()
}

/** `ref` is a built-in board name (`sim`, `raspberry-pi-4b`…) or a path to a board file. */
export async function resolveBoardFile(ref: string): Promise<string> {
  if (ref.includes('/') || ref.endsWith('.json')) return ref
  const name = BOARD_ALIASES[ref] ?? ref
  const known = await builtInBoards()
  if (!known.includes(name)) {
    throw new ConfigError([{ file: ref, path: '(board)', message: `no built-in board "${ref}" (built-in: ${known.join(', ')}); give a path to a board file instead` }])
  }
  return join(packageRoot(), 'boards', `${name}.json`)
}

export async function loadBoard(ref: string): Promise<{ file: string; board: BoardDefinition }> {
  const file = await resolveBoardFile(ref)
  return { file, board: await readJsonFile(file, BoardDefinition) }
}

/**
 * Loads and checks a board and a task table: schema, names bound against the board, then the
 * admission analysis. Every problem found is reported at once in one ConfigError; an infeasible
 * table is refused unless it says `"admission": "warn"`.
 */
export async function loadConfig(boardRef: string, tasksFile: string, options: { refuseInfeasible?: boolean } = {}): Promise<LoadedConfig> {
  const [boardResult, tableResult] = await Promise.allSettled([loadBoard(boardRef), readJsonFile(tasksFile, TaskTable)])
  const issues: ConfigIssue[] = []
  for (const result of [boardResult, tableResult]) {
    if (result.status === 'rejected') {
      if (!(result.reason instanceof ConfigError)) throw result.reason
      issues.push(...result.reason.issues)
    }
  }
  if (boardResult.status === 'rejected' || tableResult.status === 'rejected') throw new ConfigError(issues)
  const { file: boardFile, board } = boardResult.value
  const table = tableResult.value
  const bound = [...boardChipIssues(board, boardFile, SENSOR_DESCRIPTORS), ...bindIssues(table, board, tasksFile, SENSOR_DESCRIPTORS)]
  if (bound.length > 0) throw new ConfigError(bound)
  const settings = schedulingSettings(table)
  const timings = taskTimings(table, board)
  const admission = analyseAdmission(settings, timings)
  if (!admission.feasible && settings.admission === 'refuse' && options.refuseInfeasible !== false) throw new ConfigError(admissionIssues(tasksFile, table, admission))
  return { boardFile, board, tasksFile, table, settings, timings, admission }
}

function admissionIssues(file: string, table: TaskTable, report: AdmissionReport): ConfigIssue[] {
  const issues: ConfigIssue[] = report.tasks.flatMap((task, index) =>
    task.feasible ? [] : [{ file, path: `tasks[${index}]`, message: `'${table.tasks[index]?.id ?? task.id}' is not schedulable under ${report.policy}: ${task.explanation}` }],
  )
  if (issues.length === 0) for (const problem of report.problems) issues.push({ file, path: 'scheduling', message: problem })
  issues.push({ file, path: 'scheduling.admission', message: 'the table was refused by the admission test; fix the timing, or set "admission": "warn" to run it anyway' })
  return issues
}
