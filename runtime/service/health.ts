/**
 * Is the executive healthy? The answer gates the systemd watchdog: pinging from a bare timer
 * would only prove that the event loop turns. Healthy over a window means the rt thread
 * answered, and every critical task was released and met its deadlines (all but
 * UNHEALTHY_MISS_SHARE of them). A task's own sensor faults do not count: the alarm engine already
 * makes them technical alarms, and a restart would not mend a cut cable.
 */

/** What the judge knows about a task, from the task table. */
export interface HealthTask {
  readonly id: string
  readonly periodMs: number
  /** Released by its period (false: by a GPIO edge, so no release is expected). */
  readonly periodic: boolean
  readonly critical: boolean
}

/** A task's counters at one moment (the scheduler's metrics). */
export interface TaskCounters {
  readonly id: string
  readonly released: number
  readonly deadlineMisses: number
}

/** One look at the runtime. */
export interface HealthSample {
  readonly atMs: number
  readonly tasks: readonly TaskCounters[]
  /** Tasks paused by an operator's command: no release is expected of them. */
  readonly paused: readonly string[]
}

export interface Verdict {
  readonly healthy: boolean
  /** Why not, one line per problem; empty when healthy. */
  readonly problems: readonly string[]
}

/**
 * A critical task is unhealthy when it missed more than this share of its deadlines in the
 * window (and at least one): a lone miss of a 100 Hz task on a busy machine is reported by the
 * scheduler's metrics, but restarting the device for it would do more harm than the miss.
 */
export const UNHEALTHY_MISS_SHARE = 0.01

/** A periodic task is expected to have been released in a window at least this many periods long. */
const PERIODS_PER_EXPECTED_RELEASE = 2

/**
 * Judges the window between two samples. With no critical task in the table, the executive is
 * healthy when any periodic task that should have been released was.
 */
export function judgeHealth(tasks: readonly HealthTask[], previous: HealthSample, current: HealthSample): Verdict {
  const windowMs = current.atMs - previous.atMs
  const before = new Map(previous.tasks.map(task => [task.id, task]))
  const now = new Map(current.tasks.map(task => [task.id, task]))
  const paused = new Set([...previous.paused, ...current.paused])
  const problems: string[] = []
  const critical = tasks.filter(task => task.critical)
  const released = (task: HealthTask): number => (now.get(task.id)?.released ?? 0) - (before.get(task.id)?.released ?? 0)
  const releaseDue = (task: HealthTask): boolean => task.periodic && !paused.has(task.id) && windowMs >= PERIODS_PER_EXPECTED_RELEASE * task.periodMs
  const window = `${formatMs(windowMs)}`
  for (const task of critical) {
    if (releaseDue(task) && released(task) === 0) problems.push(`${task.id}: not released in the last ${window} (period ${formatMs(task.periodMs)})`)
    const missed = (now.get(task.id)?.deadlineMisses ?? 0) - (before.get(task.id)?.deadlineMisses ?? 0)
    if (missed > 0 && missed > UNHEALTHY_MISS_SHARE * released(task)) problems.push(`${task.id}: missed ${missed} of ${released(task)} deadline(s) in the last ${window}`)
  }
  if (critical.length === 0) {
    const due = tasks.filter(releaseDue)
    if (due.length > 0 && due.every(task => released(task) === 0)) problems.push(`no task was released in the last ${window}`)
  }
  return { healthy: problems.length === 0, problems }
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`
}
