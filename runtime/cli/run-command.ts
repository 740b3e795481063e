import type { Clock } from '../clock.ts'
import { systemClock } from '../clock.ts'
import { boot } from '../boot.ts'
import { loadConfig } from '../config/load.ts'
import { openPreciseClock } from '../executive/precise-clock.ts'
import type { SchedulerEvent } from '../scheduler/scheduler.ts'
import type { TaskMetricsSnapshot } from '../scheduler/task-metrics.ts'
import { EXIT } from './exit-codes.ts'
import { textTable } from './table.ts'

export interface RunOptions {
  readonly board: string
  readonly tasks: string
  /** Seconds; undefined runs until SIGINT/SIGTERM. */
  readonly duration?: number
  readonly clock: 'precise' | 'system'
  /** SCHED_FIFO priority for the timer thread (needs root, CAP_SYS_NICE or LimitRTPRIO). */
  readonly rtPriority?: number
  readonly reportEveryS: number
  readonly quiet: boolean
}

export interface RunIo {
  readonly out: (text: string) => void
  readonly err: (text: string) => void
  readonly isTty: boolean
  /** Aborted on SIGINT/SIGTERM. */
  readonly signal: AbortSignal
}

/** How many events of one kind per task are printed before they are only counted. */
const EVENT_LINES_PER_TASK = 3

/** `edgert run`: boots the board and table and runs them until the duration or a signal. */
export async function runCommand(options: RunOptions, io: RunIo): Promise<number> {
  const config = await loadConfig(options.board, options.tasks)
  if (!config.admission.feasible) io.err(`warning: the table is not schedulable (admission: warn):\n${config.admission.problems.map(p => `  - ${p}`).join('\n')}`)
  const precise = options.clock === 'precise' ? await openPreciseClock({ realtimePriority: options.rtPriority ?? null }) : undefined
  const clock: Clock = precise ?? systemClock
  if (precise !== undefined) io.err(`executive: precise clock (timer slack ${precise.status.timerSlack}, realtime ${precise.status.realtime})`)
  const printed = new Map<string, number>()
  const runtime = boot(config, { clock, onEvent: event => reportEvent(event, printed, io.err) })
  const startedMs = clock.now()
  io.err(`running ${config.table.tasks.length} task(s) from ${config.tasksFile} on board '${config.board.id}' (${config.settings.policy})${options.duration === undefined ? '; Ctrl-C stops' : ` for ${options.duration} s`}`)
  runtime.start()
  try {
    await waitUntilDone(options, io, () => {
      if (!options.quiet) io.out(liveView(runtime.scheduler.metrics(), (clock.now() - startedMs) / 1000, io.isTty))
    })
  } finally {
    await runtime.stop()
    await precise?.close()
  }
  io.out(`\nafter ${((clock.now() - startedMs) / 1000).toFixed(1)} s:\n${metricsTable(runtime.scheduler.metrics())}`)
  return EXIT.ok
}

async function waitUntilDone(options: RunOptions, io: RunIo, report: () => void): Promise<void> {
  const endMs = options.duration === undefined ? Infinity : systemClock.now() + options.duration * 1000
  while (!io.signal.aborted && systemClock.now() < endMs) {
    const stepMs = Math.min(options.reportEveryS * 1000, endMs - systemClock.now())
    try {
      await systemClock.sleep(stepMs, io.signal)
    } catch {
      return // SIGINT/SIGTERM
    }
    if (endMs - systemClock.now() > 1) report() // the summary follows at the end instead
  }
}

function reportEvent(event: SchedulerEvent, printed: Map<string, number>, err: (text: string) => void): void {
  const key = `${event.taskId}/${event.type}`
  const count = (printed.get(key) ?? 0) + 1
  printed.set(key, count)
  if (count > EVENT_LINES_PER_TASK) return
  const tail = count === EVENT_LINES_PER_TASK ? ' (further ones are counted in the table only)' : ''
  const at = `${event.atMs.toFixed(3)} ms`
  switch (event.type) {
    case 'deadline-missed':
      err(`[${at}] ${event.taskId}: missed its deadline (released ${event.releaseMs.toFixed(3)}, due ${event.deadlineMs.toFixed(3)})${tail}`)
      break
    case 'budget-overrun':
      err(`[${at}] ${event.taskId}: ran ${event.executionMs.toFixed(3)} ms, over its ${event.budgetMs} ms budget${tail}`)
      break
    case 'task-failed':
      err(`[${at}] ${event.taskId}: job failed (${event.kind}): ${event.error instanceof Error ? event.error.message : String(event.error)}${tail}`)
      break
  }
}

function liveView(metrics: readonly TaskMetricsSnapshot[], elapsedS: number, tty: boolean): string {
  const clear = tty ? '\x1b[H\x1b[2J' : '\n'
  return `${clear}edgert — ${elapsedS.toFixed(1)} s\n${metricsTable(metrics)}`
}

/** Per-task figures; times in ms. `aborted` includes the jobs cut short by stopping. */
export function metricsTable(metrics: readonly TaskMetricsSnapshot[]): string {
  return textTable(
    ['task', 'released', 'done', 'failed', 'aborted', 'missed', 'skipped', 'late p50', 'late p99', 'late max', 'resp p99', 'exec max'],
    metrics.map(m => [m.id, m.released, m.completed, m.failed, m.aborted, m.deadlineMisses, m.skippedReleases, m.lateness.p50Ms, m.lateness.p99Ms, m.lateness.maxMs, m.responseTime.p99Ms, m.executionTime.maxMs]),
  )
}
