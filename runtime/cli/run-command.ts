import { systemClock, type Clock } from '../clock.ts'
import { boot } from '../boot.ts'
import { loadConfig, type LoadedConfig } from '../config/load.ts'
import { openPreciseClock, type PreciseClockStatus } from '../executive/precise-clock.ts'
import { startRtThread } from '../rt-thread/host.ts'
import { toWireEvent, type WireEvent } from '../rt-thread/protocol.ts'
import type { TaskMetricsSnapshot } from '../scheduler/task-metrics.ts'
import { EXIT } from './exit-codes.ts'
import { textTable } from './table.ts'

export interface RunOptions {
  readonly board: string
  readonly tasks: string
  /** Seconds; undefined runs until SIGINT/SIGTERM. */
  readonly duration?: number
  readonly clock: 'precise' | 'system'
  /** `rt` (default): the scheduler runs in a dedicated worker thread; `main`: on the main thread. */
  readonly thread: 'rt' | 'main'
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

/** A running runtime, wherever its scheduler runs. */
interface RunningRuntime {
  readonly clockStatus: PreciseClockStatus | null
  metrics(): Promise<TaskMetricsSnapshot[]>
  stop(): Promise<TaskMetricsSnapshot[]>
}

/** `edgert run`: boots the board and table and runs them until the duration or a signal. */
export async function runCommand(options: RunOptions, io: RunIo): Promise<number> {
  const config = await loadConfig(options.board, options.tasks)
  if (!config.admission.feasible) io.err(`warning: the table is not schedulable (admission: warn):\n${config.admission.problems.map(p => `  - ${p}`).join('\n')}`)
  const printed = new Map<string, number>()
  const onEvent = (event: WireEvent): void => reportEvent(event, printed, io.err)
  const runtime = options.thread === 'rt' ? await startRtThread({ config, clock: options.clock, ...rtPriority(options), onEvent }) : await startOnMainThread(config, options, onEvent)
  const clock = runtime.clockStatus === null ? 'system clock' : `precise clock (timer slack ${runtime.clockStatus.timerSlack}, realtime ${runtime.clockStatus.realtime})`
  io.err(`executive: ${clock}, scheduler on the ${options.thread === 'rt' ? 'rt thread' : 'main thread'}`)
  io.err(`running ${config.table.tasks.length} task(s) from ${config.tasksFile} on board '${config.board.id}' (${config.settings.policy})${options.duration === undefined ? '; Ctrl-C stops' : ` for ${options.duration} s`}`)
  const startedMs = systemClock.now()
  let final: TaskMetricsSnapshot[]
  try {
    await waitUntilDone(options, io, async () => {
      if (!options.quiet) io.out(liveView(await runtime.metrics(), (systemClock.now() - startedMs) / 1000, io.isTty))
    })
  } finally {
    final = await runtime.stop()
  }
  io.out(`\nafter ${((systemClock.now() - startedMs) / 1000).toFixed(1)} s:\n${metricsTable(final)}`)
  return EXIT.ok
}

function rtPriority(options: RunOptions): { rtPriority?: number } {
  return options.rtPriority === undefined ? {} : { rtPriority: options.rtPriority }
}

async function startOnMainThread(config: LoadedConfig, options: RunOptions, onEvent: (event: WireEvent) => void): Promise<RunningRuntime> {
  const precise = options.clock === 'precise' ? await openPreciseClock({ realtimePriority: options.rtPriority ?? null }) : undefined
  const clock: Clock = precise ?? systemClock
  const runtime = boot(config, {
    clock,
    onEvent: event => onEvent(toWireEvent(event)),
    onSafeState: (taskId, reason) => onEvent({ type: 'safe-state', taskId, atMs: clock.now(), reason }),
  })
  runtime.start()
  return {
    clockStatus: precise?.status ?? null,
    metrics: () => Promise.resolve(runtime.scheduler.metrics()),
    stop: async () => {
      await runtime.stop()
      await precise?.close()
      return runtime.scheduler.metrics()
    },
  }
}

async function waitUntilDone(options: RunOptions, io: RunIo, report: () => Promise<void>): Promise<void> {
  const endMs = options.duration === undefined ? Infinity : systemClock.now() + options.duration * 1000
  while (!io.signal.aborted && systemClock.now() < endMs) {
    const stepMs = Math.min(options.reportEveryS * 1000, endMs - systemClock.now())
    try {
      await systemClock.sleep(stepMs, io.signal)
    } catch {
      return // SIGINT/SIGTERM
    }
    if (endMs - systemClock.now() > 1) await report() // the summary follows at the end instead
  }
}

function reportEvent(event: WireEvent, printed: Map<string, number>, err: (text: string) => void): void {
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
      err(`[${at}] ${event.taskId}: job failed (${event.kind}): ${event.message}${tail}`)
      break
    case 'safe-state':
      err(`[${at}] ${event.taskId}: safe state requested (${event.reason})${tail}`)
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
