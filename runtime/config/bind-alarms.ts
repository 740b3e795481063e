import type { BoardDefinition } from '../../boards/schema.ts'
import type { SensorDescriptor } from '../../drivers/sensors/sensor.ts'
import type { ActionSpec, AlarmSpec, ConditionSpec, DerivedSpec, FilterSpec } from '../../tasks/alarm-schema.ts'
import type { TaskTable } from '../../tasks/schema.ts'
import { taskChannels, type TaskChannels } from '../alarms/channel-space.ts'

interface Issue {
  readonly path: string
  readonly message: string
}

/**
 * Binds what sample tasks do with their readings: channel names in processing, derived
 * channels and conditions must exist, thresholds must make sense together, actions must name
 * outputs of the board, and alarm ids must be unique in the table (they name MQTT topics).
 */
export function readingStageIssues(table: TaskTable, board: BoardDefinition, descriptors: ReadonlyMap<string, SensorDescriptor>): Issue[] {
  const issues: Issue[] = []
  const channels = taskChannels(table, board, descriptors)
  const alarmIds = new Map<string, string>()
  const clearLevels = new Map<string, { level: 0 | 1; at: string }>()
  table.tasks.forEach((task, index) => {
    const at = `tasks[${index}]`
    if (task.kind !== 'sample') return
    const own = channels.get(task.id)
    if (own === undefined || own.device.length === 0) return // the device or chip is reported elsewhere
    const deviceNames = own.device.map(channel => channel.name)
    for (const [name, spec] of Object.entries(task.processing ?? {})) {
      const path = `${at}.processing.${name}`
      if (!deviceNames.includes(name)) issues.push({ path, message: `device "${task.device}" has no channel "${name}" (it has: ${deviceNames.join(', ')})` })
      spec.filters.forEach((filter, f) => issues.push(...filterIssues(filter, `${path}.filters[${f}]`)))
    }
    const known = new Set(deviceNames)
    task.derived?.forEach((derived, d) => {
      const path = `${at}.derived[${d}]`
      if (known.has(derived.name)) issues.push({ path: `${path}.name`, message: `"${derived.name}" is already a channel of task '${task.id}'` })
      for (const [field, ref] of derivedInputs(derived)) {
        const problem = refProblem(ref, task.id, known, channels)
        if (problem !== undefined) issues.push({ path: `${path}.${field}`, message: problem })
      }
      derived.filters.forEach((filter, f) => issues.push(...filterIssues(filter, `${path}.filters[${f}]`)))
      known.add(derived.name)
    })
    task.alarms?.forEach((alarm, a) => {
      const path = `${at}.alarms[${a}]`
      const first = alarmIds.get(alarm.id)
      if (first !== undefined) issues.push({ path: `${path}.id`, message: `"${alarm.id}" is already the id of an alarm at ${first}` })
      else alarmIds.set(alarm.id, path)
      const kinds = conditionIssues(alarm.when, `${path}.when`, task.id, known, channels, issues)
      if (kinds.technical && kinds.level) issues.push({ path: `${path}.when`, message: 'mixes technical conditions (fault, stale, no-data) with value conditions: make them two alarms, since "cannot trust the value" is not "value in alarm"' })
      issues.push(...alarmActionIssues(alarm, path, board, clearLevels))
      issues.push(...adjustableIssues(alarm, path))
    })
  })
  return issues
}

function alarmActionIssues(alarm: AlarmSpec, path: string, board: BoardDefinition, clearLevels: Map<string, { level: 0 | 1; at: string }>): Issue[] {
  const issues: Issue[] = []
  if (alarm.failSafe !== false && alarm.actions.length === 0) issues.push({ path: `${path}.failSafe`, message: 'a fail-safe alarm guards the outputs its actions drive, and this one has no actions' })
  const outputs = Object.entries(board.gpio).filter(([, line]) => line.direction === 'out').map(([name]) => name)
  const seen = new Set<string>()
  alarm.actions.forEach((action: ActionSpec, i) => {
    const at = `${path}.actions[${i}]`
    const line = Object.hasOwn(board.gpio, action.output) ? board.gpio[action.output] : undefined
    if (line === undefined || line.direction !== 'out') {
      const what = line === undefined ? 'no GPIO' : 'an input, not an output,'
      issues.push({ path: `${at}.output`, message: `board '${board.id}' has ${what} "${action.output}" (outputs: ${outputs.join(', ') || 'none'})` })
      return
    }
    if (seen.has(action.output)) issues.push({ path: `${at}.output`, message: `"${action.output}" is already driven by this alarm` })
    seen.add(action.output)
    const clearLevel = action.clearLevel ?? (action.level === 1 ? 0 : 1)
    if (clearLevel === action.level) issues.push({ path: `${at}.clearLevel`, message: `must differ from level (${action.level}): the alarm would not change the output` })
    const other = clearLevels.get(action.output)
    if (other !== undefined && other.level !== clearLevel) issues.push({ path: `${at}.clearLevel`, message: `"${action.output}" rests at ${other.level} by ${other.at}; every alarm that drives an output must agree on its resting level` })
    else clearLevels.set(action.output, { level: clearLevel, at })
  })
  return issues
}

function adjustableIssues(alarm: AlarmSpec, path: string): Issue[] {
  if (alarm.adjustable === undefined) return []
  const when = alarm.when
  if (!('channel' in when)) return [{ path: `${path}.adjustable`, message: 'thresholds can be adjustable only when "when" is a single level condition' }]
  const issues: Issue[] = []
  for (const [name, bounds] of Object.entries(alarm.adjustable)) {
    const at = `${path}.adjustable.${name}`
    const current = when[name as 'setAbove' | 'clearAbove' | 'setBelow' | 'clearBelow']
    if (bounds.min > bounds.max) issues.push({ path: `${at}.max`, message: `must not be below min (${bounds.min})` })
    const base = name.startsWith('clear') ? (when[name === 'clearAbove' ? 'setAbove' : 'setBelow'] ?? current) : current
    if (base === undefined) issues.push({ path: at, message: `the condition has no ${name}` })
    else if (current !== undefined && (current < bounds.min || current > bounds.max)) issues.push({ path: at, message: `the table's own ${name} (${current}) lies outside [${bounds.min}, ${bounds.max}]` })
  }
  return issues
}

function filterIssues(filter: FilterSpec, path: string): Issue[] {
  if (filter.type === 'exponential' && (filter.alpha === undefined) === (filter.timeConstantMs === undefined)) return [{ path, message: 'give exactly one of alpha and timeConstantMs' }]
  if (filter.type === 'deadband' && (filter.absolute === undefined) === (filter.percent === undefined)) return [{ path, message: 'give exactly one of absolute and percent' }]
  if (filter.type === 'clamp') {
    if (filter.min === undefined && filter.max === undefined) return [{ path, message: 'give min, max or both' }]
    if (filter.min !== undefined && filter.max !== undefined && filter.min > filter.max) return [{ path: `${path}.max`, message: `must not be below min (${filter.min})` }]
  }
  return []
}

function derivedInputs(derived: DerivedSpec): [string, string][] {
  return derived.op === 'closing-speed' ? [['distance', derived.distance]] : [['distance', derived.distance], ['closingSpeed', derived.closingSpeed]]
}

/** Why `ref` does not name a channel here, or undefined when it does. `known`: the task's channels so far. */
function refProblem(ref: string, ownTaskId: string, known: ReadonlySet<string>, channels: ReadonlyMap<string, TaskChannels>): string | undefined {
  if (!ref.includes('.')) return known.has(ref) ? undefined : `task '${ownTaskId}' has no channel "${ref}" (it has: ${[...known].join(', ')})`
  const [taskId = '', name = ''] = ref.split('.')
  if (taskId === ownTaskId) return refProblem(name, ownTaskId, known, channels)
  const other = channels.get(taskId)
  if (other === undefined) return `no sample task "${taskId}" in this table (sample tasks: ${[...channels.keys()].join(', ')})`
  const names = [...other.device.map(channel => channel.name), ...other.derived]
  return names.includes(name) ? undefined : `task '${taskId}' has no channel "${name}" (it has: ${names.join(', ')})`
}

/** Checks a condition tree, pushing issues; returns which kinds of leaf it has. */
function conditionIssues(
  condition: ConditionSpec,
  path: string,
  taskId: string,
  known: ReadonlySet<string>,
  channels: ReadonlyMap<string, TaskChannels>,
  issues: Issue[],
): { technical: boolean; level: boolean } {
  if ('all' in condition || 'any' in condition) {
    const key = 'all' in condition ? 'all' : 'any'
    const children = 'all' in condition ? condition.all : condition.any
    const kinds = { technical: false, level: false }
    children.forEach((child, c) => {
      const found = conditionIssues(child, `${path}.${key}[${c}]`, taskId, known, channels, issues)
      kinds.technical ||= found.technical
      kinds.level ||= found.level
    })
    return kinds
  }
  if ('technical' in condition) {
    condition.channels?.forEach((ref, r) => {
      const problem = refProblem(ref, taskId, known, channels)
      if (problem !== undefined) issues.push({ path: `${path}.channels[${r}]`, message: problem })
    })
    return { technical: true, level: false }
  }
  const problem = refProblem(condition.channel, taskId, known, channels)
  if (problem !== undefined) issues.push({ path: `${path}.channel`, message: problem })
  const { setAbove, clearAbove, setBelow, clearBelow } = condition
  if (setAbove === undefined && setBelow === undefined) issues.push({ path, message: 'give setAbove, setBelow or both (outside a range)' })
  if (clearAbove !== undefined && setAbove === undefined) issues.push({ path: `${path}.clearAbove`, message: 'needs setAbove' })
  if (clearAbove !== undefined && setAbove !== undefined && clearAbove > setAbove) issues.push({ path: `${path}.clearAbove`, message: `must not be above setAbove (${setAbove})` })
  if (clearBelow !== undefined && setBelow === undefined) issues.push({ path: `${path}.clearBelow`, message: 'needs setBelow' })
  if (clearBelow !== undefined && setBelow !== undefined && clearBelow < setBelow) issues.push({ path: `${path}.clearBelow`, message: `must not be below setBelow (${setBelow})` })
  if (setAbove !== undefined && setBelow !== undefined && setBelow >= setAbove) issues.push({ path: `${path}.setBelow`, message: `must be below setAbove (${setAbove}): otherwise every value is in alarm` })
  return { technical: false, level: true }
}
