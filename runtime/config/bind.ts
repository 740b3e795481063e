import type { BoardDefinition } from '../../boards/schema.ts'
import type { SensorDescriptor } from '../../drivers/sensors/sensor.ts'
import type { TaskTable } from '../../tasks/schema.ts'
import type { SchedulingSettings, TaskTiming } from '../scheduler/types.ts'
import { readingStageIssues } from './bind-alarms.ts'
import { boardDevices, sampleTaskIssues } from './bind-devices.ts'
import type { ConfigIssue } from './config-error.ts'

/**
 * Cross-checks a validated task table against itself and the board: what a schema cannot say
 * (names that must exist, fields that must agree). Returns every problem, not the first.
 */
export function bindIssues(table: TaskTable, board: BoardDefinition, tasksFile: string, descriptors: ReadonlyMap<string, SensorDescriptor>): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  const problem = (path: string, message: string): void => {
    issues.push({ file: tasksFile, path, message })
  }
  const seen = new Map<string, number>()
  const buses = new Set([...Object.keys(board.i2c), ...Object.keys(board.serial)])
  table.tasks.forEach((task, index) => {
    const at = `tasks[${index}]`
    const first = seen.get(task.id)
    if (first !== undefined) problem(`${at}.id`, `"${task.id}" is already the id of tasks[${first}]`)
    else seen.set(task.id, index)
    const deadlineMs = task.deadlineMs ?? task.periodMs
    if (deadlineMs > task.periodMs) problem(`${at}.deadlineMs`, `must not exceed periodMs (${task.periodMs})`)
    if (task.nonPreemptiveMs !== undefined && task.nonPreemptiveMs > task.budgetMs) problem(`${at}.nonPreemptiveMs`, `must not exceed budgetMs (${task.budgetMs})`)
    if (task.restart !== undefined && task.restart.maxMs < task.restart.initialMs) problem(`${at}.restart.maxMs`, `must be at least initialMs (${task.restart.initialMs})`)
    if (task.kind === 'synthetic' && task.computeMs > task.budgetMs) problem(`${at}.computeMs`, `${task.computeMs} ms exceeds the declared budgetMs (${task.budgetMs}): every job would overrun`)
    if (task.kind === 'sample') for (const issue of sampleTaskIssues(task, at, board, descriptors)) problem(issue.path, issue.message)
    const used = new Set<string>()
    task.resources.forEach((resource, r) => {
      if (!buses.has(resource.name)) problem(`${at}.resources[${r}].name`, `board '${board.id}' has no bus "${resource.name}" (it has: ${[...buses].join(', ') || 'none'})`)
      if (used.has(resource.name)) problem(`${at}.resources[${r}].name`, `"${resource.name}" is listed twice`)
      used.add(resource.name)
    })
    if (task.release !== undefined) {
      const input = Object.hasOwn(board.gpio, task.release.gpio) ? board.gpio[task.release.gpio] : undefined
      if (input === undefined) problem(`${at}.release.gpio`, `board '${board.id}' has no GPIO "${task.release.gpio}" (it has: ${Object.keys(board.gpio).join(', ') || 'none'})`)
      else if (input.direction !== 'in') problem(`${at}.release.gpio`, `"${task.release.gpio}" is an output on board '${board.id}'; a release needs an input`)
    }
  })
  for (const issue of readingStageIssues(table, board, descriptors)) problem(issue.path, issue.message)
  return issues
}

/** The scheduling view of a table: what the admission analysis and the scheduler take. */
export function taskTimings(table: TaskTable, board: BoardDefinition): TaskTiming[] {
  const devices = boardDevices(board)
  return table.tasks.map(task => ({
    id: task.id,
    kind: task.release === undefined ? 'periodic' : 'sporadic',
    periodMs: task.periodMs,
    offsetMs: task.offsetMs,
    deadlineMs: task.deadlineMs ?? task.periodMs,
    budgetMs: task.budgetMs,
    priority: task.priority,
    nonPreemptiveMs: task.nonPreemptiveMs ?? task.budgetMs,
    resources: withDeviceBus(task, devices),
  }))
}

/**
 * A sample task uses its device's bus even when the table does not list it: the admission test
 * counts it, held for the whole budget unless the table declares a shorter holdMs.
 */
function withDeviceBus(task: TaskTable['tasks'][number], devices: ReturnType<typeof boardDevices>): TaskTiming['resources'] {
  if (task.kind !== 'sample') return task.resources
  const device = devices.get(task.device)
  const bus = device?.bus === 'gpio' ? undefined : device?.busName
  if (bus === undefined || task.resources.some(resource => resource.name === bus)) return task.resources
  return [...task.resources, { name: bus, holdMs: task.budgetMs }]
}

export function schedulingSettings(table: TaskTable): SchedulingSettings {
  return { policy: table.scheduling.policy, quantumMs: table.scheduling.quantumMs, admission: table.scheduling.admission }
}
