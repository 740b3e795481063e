/**
 * The worker side of misses.ts: runs the deadline-miss table on this thread as the rt thread
 * runs a table (runtime/rt-thread/worker.ts): the precise clock with the rt thread's options
 * (inline waits, allowed only while no job holds the processor), the Scheduler with the loaded
 * config's settings and timings, built as boot() builds them (runtime/boot.ts toTaskDefinition).
 * Only the job bodies differ: boot() runs a `synthetic` task's computeMs as a sleep on the
 * clock, which holds the scheduler's processor but not the CPU; here each job busy-waits its
 * computeMs on performance.now(), in chunkMs pieces with a dispatch point between them. So the
 * table really uses 0.70 of this thread's core while the main thread runs the GC load.
 *
 * The dispatch point comes in two styles. `yield`: `await ctx.yield()`, as docs/scheduling.md
 * tells CPU-bound code to chunk itself. `turn`: one turn of the event loop (setImmediate) first,
 * then ctx.yield(). They differ because the scheduler releases jobs only in its loop, which wakes
 * through the event loop, and ctx.yield() resumes the job through a promise: a job that only
 * computes and yields never lets the loop run, so a release that falls due meanwhile waits for
 * the whole job, not one chunk (the non-preemptive section the admission test counts on).
 */
import type { PreciseClockStatus } from '../runtime/executive/precise-clock.ts'
import { openPreciseClock } from '../runtime/executive/precise-clock.ts'
import { currentThreadId, setRealtimePriority } from '../runtime/executive/thread-tuning.ts'
import { RT_THREAD_CLOCK } from '../runtime/rt-thread/clock-options.ts'
import type { JobContext } from '../runtime/scheduler/job-context.ts'
import { Scheduler, periodicTask } from '../runtime/scheduler/scheduler.ts'
import type { TaskMetricsSnapshot } from '../runtime/scheduler/task-metrics.ts'
import type { Policy } from '../runtime/scheduler/types.ts'
import { executionUtilization, loadMissesTable } from './misses-table.ts'

/** How a busy job offers the processor between chunks (see the file comment). */
export type YieldStyle = 'yield' | 'turn'

export interface MissesRunOptions {
  readonly policy: Policy
  readonly yieldStyle: YieldStyle
  /** Measured seconds, after WARMUP_MS whose figures are dropped. */
  readonly durationS: number
  /** SCHED_FIFO for this thread and the clock's timer thread (--rt), or null. */
  readonly realtimePriority: number | null
}

export interface MissesRunResult {
  readonly policy: Policy
  readonly yieldStyle: YieldStyle
  /** As asked for; threadRealtime says whether it was granted. */
  readonly realtimePriority: number | null
  readonly durationS: number
  /** Sum of computeMs / periodMs: what the busy-waits take. */
  readonly executionUtilization: number
  /** Sum of budgetMs / periodMs, and the admission verdict, as `edgert plan` prints them. */
  readonly declaredUtilization: number
  readonly feasible: boolean
  readonly tasks: readonly TaskMetricsSnapshot[]
  readonly clock: PreciseClockStatus
  readonly threadRealtime: string
}

/** JIT, the clock's first wake-ups: run, then the figures are reset. */
const WARMUP_MS = 1000

/** Holds the CPU for `ms` (not a dispatch point: nothing else runs on this thread meanwhile). */
function spin(ms: number): void {
  const endMs = performance.now() + ms
  while (performance.now() < endMs);
}

const turn = (): Promise<void> => new Promise(resolve => setImmediate(resolve))

function busyJob(computeMs: number, chunkMs: number | undefined, style: YieldStyle): (ctx: JobContext) => Promise<void> {
  const pieceMs = chunkMs === undefined || chunkMs >= computeMs ? computeMs : chunkMs
  return async ctx => {
    for (let leftMs = computeMs; leftMs > 0; leftMs -= pieceMs) {
      spin(Math.min(pieceMs, leftMs))
      if (leftMs <= pieceMs) continue
      if (style === 'turn') await turn()
      await ctx.yield()
    }
  }
}

export async function measureMisses(options: MissesRunOptions): Promise<MissesRunResult> {
  const config = await loadMissesTable(options.policy)
  const tid = currentThreadId()
  const threadRealtime = options.realtimePriority === null ? 'off' : typeof tid === 'number' ? await setRealtimePriority(tid, options.realtimePriority) : tid
  let scheduler: Scheduler | undefined
  const clock = await openPreciseClock({ ...RT_THREAD_CLOCK, realtimePriority: options.realtimePriority, canWaitInline: () => scheduler !== undefined && scheduler.running === null })
  try {
    const tasks = config.table.tasks.map((spec, index) => {
      if (spec.kind !== 'synthetic') throw new Error(`${config.tasksFile}: task ${spec.id} is not synthetic`)
      const timing = config.timings[index]!
      return periodicTask({ ...timing, onMiss: spec.onMiss, restart: spec.restart ?? { initialMs: 0, maxMs: 0 }, run: busyJob(spec.computeMs, spec.chunkMs, options.yieldStyle) })
    })
    scheduler = new Scheduler({ clock, settings: config.settings, tasks })
    scheduler.start()
    await clock.sleep(WARMUP_MS)
    scheduler.resetMetrics()
    await clock.sleep(options.durationS * 1000)
    await scheduler.stop()
    return {
      policy: options.policy,
      yieldStyle: options.yieldStyle,
      realtimePriority: options.realtimePriority,
      durationS: options.durationS,
      executionUtilization: executionUtilization(config),
      declaredUtilization: config.admission.utilization,
      feasible: config.admission.feasible,
      tasks: scheduler.metrics(),
      clock: clock.status,
      threadRealtime,
    }
  } finally {
    await clock.close()
  }
}
