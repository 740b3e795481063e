import { loadConfig } from '../config/load.ts'
import type { AdmissionReport } from '../scheduler/admission.ts'
import { EXIT } from './exit-codes.ts'
import { textTable } from './table.ts'

export interface PlanOptions {
  readonly board: string
  readonly tasks: string
  readonly json?: boolean
}

/**
 * `edgert plan`: prints the admission analysis of a table on a board. Exits 0 when the table is
 * feasible (or says "admission": "warn"), 2 when run would refuse it.
 */
export async function planCommand(options: PlanOptions, out: (text: string) => void): Promise<number> {
  // plan analyses even a table that run would refuse: showing why is what it is for.
  const config = await loadConfig(options.board, options.tasks, { refuseInfeasible: false })
  const { admission: report, settings } = config
  if (options.json === true) out(JSON.stringify(planJson(report), null, 2))
  else out(planText(report, settings.admission))
  return report.feasible || settings.admission === 'warn' ? EXIT.ok : EXIT.badInput
}

export function planJson(report: AdmissionReport) {
  return {
    policy: report.policy,
    utilization: report.utilization,
    feasible: report.feasible,
    method: report.method,
    problems: report.problems,
    tasks: report.tasks.map(task => ({
      id: task.id,
      periodMs: task.periodMs,
      deadlineMs: task.deadlineMs,
      budgetMs: task.budgetMs,
      blockingMs: task.blockingMs,
      responseTimeMs: task.responseTimeMs,
      feasible: task.feasible,
    })),
  }
}

export function planText(report: AdmissionReport, admission: 'refuse' | 'warn'): string {
  const verdict = report.feasible ? 'feasible' : admission === 'warn' ? 'NOT feasible (admission: warn, it would run anyway)' : 'NOT feasible (run refuses it)'
  const rows = report.tasks.map(task => [
    task.id,
    task.periodMs,
    task.deadlineMs,
    task.budgetMs,
    task.blockingMs,
    task.responseTimeMs === null ? 'unbounded' : String(Number(task.responseTimeMs.toFixed(3))),
    task.feasible ? 'ok' : 'MISSES',
  ])
  return [
    `policy ${report.policy}, utilization ${report.utilization.toFixed(3)}: ${verdict}`,
    `method: ${report.method}`,
    '',
    textTable(['task', 'periodMs', 'deadlineMs', 'budgetMs', 'blockingMs', 'responseMs', ''], rows),
    ...(report.problems.length > 0 ? ['', ...report.problems.map(problem => `- ${problem}`)] : []),
  ].join('\n')
}
