import { loadConfig } from '../config/load.ts'
import { EXIT } from './exit-codes.ts'

/** `edgert validate`: schema, binding and admission; prints a one-line verdict. */
export async function validateCommand(options: { board: string; tasks: string }, out: (text: string) => void): Promise<number> {
  const config = await loadConfig(options.board, options.tasks)
  const feasibility = config.admission.feasible ? 'schedulable' : 'NOT schedulable (admission: warn)'
  out(`ok: ${config.tasksFile} on board '${config.board.id}': ${config.table.tasks.length} task(s), ${config.settings.policy}, utilization ${config.admission.utilization.toFixed(3)}, ${feasibility}`)
  return EXIT.ok
}
