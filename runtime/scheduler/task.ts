import type { JobContext } from './job-context.ts'
import type { RestartPolicy } from './plan.ts'
import type { MissPolicy, ResourceUse, TaskTiming } from './types.ts'

/** A task as the scheduler runs it: its timing, what to do when it is late, and its body. */
export interface TaskDefinition extends TaskTiming {
  readonly onMiss: MissPolicy
  readonly restart: RestartPolicy
  /**
   * The job body. It holds the processor from its start until it completes or reaches a dispatch
   * point (`ctx.yield()`, `ctx.sleep()`, a scheduler resource, the scheduler clock's sleep).
   * A throw or rejection fails the job; the scheduler records the error's `kind` and goes on.
   */
  readonly run: (ctx: JobContext) => void | Promise<void>
}

type Optional = 'kind' | 'offsetMs' | 'deadlineMs' | 'budgetMs' | 'priority' | 'nonPreemptiveMs' | 'resources' | 'onMiss' | 'restart'
export type TaskInit = Omit<TaskDefinition, Optional> & Partial<Pick<TaskDefinition, Optional>>

const NO_RESTART_BACKOFF: RestartPolicy = { initialMs: 0, maxMs: 0 }
const NO_RESOURCES: readonly ResourceUse[] = []

/**
 * Fills the defaults a task table may leave out: offset 0, deadline = period, budget = the
 * whole deadline (unknown cost), priority 0, non-preemptive for its whole budget, miss policy
 * `continue`, no back-off. Throws RangeError naming the task and field for impossible values.
 */
export function periodicTask(init: TaskInit): TaskDefinition {
  return checkTask({
    kind: 'periodic',
    offsetMs: 0,
    deadlineMs: init.periodMs,
    budgetMs: init.deadlineMs ?? init.periodMs,
    priority: 0,
    nonPreemptiveMs: init.budgetMs ?? init.deadlineMs ?? init.periodMs,
    resources: NO_RESOURCES,
    onMiss: 'continue',
    restart: NO_RESTART_BACKOFF,
    ...init,
  })
}

/** As periodicTask, for a task released by events at most once per `periodMs` (minimum inter-arrival time). */
export function sporadicTask(init: TaskInit): TaskDefinition {
  return periodicTask({ ...init, kind: 'sporadic' })
}

function checkTask(task: TaskDefinition): TaskDefinition {
  const where = `task '${task.id}'`
  const positive = (name: keyof TaskDefinition, value: number): void => {
    if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`${where}: ${name} must be a positive number of ms, got ${value}`)
  }
  positive('periodMs', task.periodMs)
  positive('deadlineMs', task.deadlineMs)
  positive('budgetMs', task.budgetMs)
  positive('nonPreemptiveMs', task.nonPreemptiveMs)
  if (!(task.offsetMs >= 0)) throw new RangeError(`${where}: offsetMs must be >= 0, got ${task.offsetMs}`)
  if (task.deadlineMs > task.periodMs) throw new RangeError(`${where}: deadlineMs (${task.deadlineMs}) must not exceed periodMs (${task.periodMs})`)
  if (!Number.isInteger(task.priority) || task.priority < 0 || task.priority > 99) throw new RangeError(`${where}: priority must be an integer 0..99, got ${task.priority}`)
  if (task.restart.initialMs < 0 || task.restart.maxMs < task.restart.initialMs) throw new RangeError(`${where}: restart needs 0 <= initialMs <= maxMs`)
  return task
}
