import { openPreciseClock, type PreciseClockOptions, type PreciseClockStatus } from '../runtime/executive/precise-clock.ts'
import { currentThreadId } from '../runtime/executive/thread-tuning.ts'
import { Scheduler, periodicTask } from '../runtime/scheduler/scheduler.ts'
import { threadCpu, type ThreadCpu, type ThreadUse } from './jitter-machine.ts'
import { LatenessSamples } from './jitter-samples.ts'
import type { CyclictestHistogram } from './cyclictest-parse.ts'

/** What one measurement produced, before statistics. */
export interface RawRun {
  /** Lateness of each recorded job, ms (start − release). */
  readonly latenessMs: Float64Array
  /** Releases in the measured window. */
  readonly expected: number
  /** CPU time of the whole process over the run, % of one core. */
  readonly cpuPct: number
  /** The threads of the timing path (the one that runs the job, and the timer thread if any). */
  readonly path: readonly ThreadUse[]
  readonly clock?: PreciseClockStatus
  /** The scheduler's own count of skipped releases over the whole run (cross-check). */
  readonly schedulerSkipped?: number
  /** SCHED_FIFO of the thread running the scheduler (worker variants): 'set', 'off' or why not. */
  readonly threadRealtime?: string
  /** The cyclictest variant: its own histogram of the round (cyclictest.ts). */
  readonly cyclictest?: CyclictestHistogram
}

/** One measurement: a periodic job of `periodMs` for `durationMs`, the first `warmupMs` not recorded. */
export interface RunPlan {
  readonly periodMs: number
  readonly durationMs: number
  readonly warmupMs: number
}

/** CPU time of the whole process (all threads) since `start`, as % of one core over `wallMs`. */
function cpuPct(start: NodeJS.CpuUsage, wallMs: number): number {
  const used = process.cpuUsage(start)
  return ((used.user + used.system) / 1000 / wallMs) * 100
}

/** Readings of the given threads' CPU time (ids that could not be read are left out). */
function threadsCpu(tids: readonly (number | string | undefined)[]): ThreadCpu[] {
  return tids.filter(tid => typeof tid === 'number').map(tid => threadCpu(tid))
}

/**
 * The baseline: a plain setTimeout loop on the calling thread, re-armed against absolute release
 * times. Naive on purpose: the job runs whenever the timer fires, so a timer that Node rounds
 * down to whole ms fires early and shows as negative lateness. A wake-up more than a period late
 * skips the releases it slept through, as the scheduler does (runtime/scheduler/plan.ts catchUp).
 */
export function runBaseline(plan: RunPlan): Promise<RawRun> {
  const { periodMs, durationMs, warmupMs } = plan
  return new Promise(resolve => {
    const samples = new LatenessSamples(periodMs, warmupMs, durationMs)
    const threads = threadsCpu([currentThreadId()])
    const startCpu = process.cpuUsage()
    const startMs = performance.now()
    let releaseMs = startMs + periodMs
    const endMs = releaseMs + durationMs
    const tick = (): void => {
      const nowMs = performance.now()
      const behindMs = nowMs - releaseMs
      if (behindMs >= periodMs) releaseMs += Math.floor(behindMs / periodMs) * periodMs
      samples.record(releaseMs, nowMs)
      releaseMs += periodMs
      if (releaseMs < endMs) {
        setTimeout(tick, releaseMs - performance.now())
        return
      }
      const wallMs = performance.now() - startMs
      resolve({ latenessMs: samples.values().slice(), expected: samples.expected, cpuPct: cpuPct(startCpu, wallMs), path: threads.map(t => t.since(wallMs)) })
    }
    setTimeout(tick, releaseMs - performance.now())
  })
}

/**
 * edgert: the real Scheduler driven by a PreciseClock, one periodic task whose body records its
 * own lateness (clock.now() − ctx.releaseMs), independently of the scheduler's metrics.
 * Runs on whichever thread calls it (bench/jitter-worker.ts calls it in a worker). With inline
 * waits, the clock may block only while no job holds the processor, as on the rt thread.
 */
export async function runEdgert(plan: RunPlan, clockOptions: PreciseClockOptions): Promise<RawRun> {
  const { periodMs, durationMs, warmupMs } = plan
  let scheduler: Scheduler | undefined
  const clock = await openPreciseClock({ ...clockOptions, canWaitInline: () => scheduler?.running == null })
  try {
    const samples = new LatenessSamples(periodMs, warmupMs, durationMs)
    scheduler = new Scheduler({
      clock,
      settings: { policy: 'priority', quantumMs: 1 },
      tasks: [periodicTask({ id: 'fast', periodMs, budgetMs: periodMs / 10, priority: 5, run: ctx => samples.record(ctx.releaseMs, clock.now()) })],
    })
    const threads = threadsCpu([currentThreadId(), clock.status.timerThreadId])
    const startCpu = process.cpuUsage()
    const startMs = clock.now()
    scheduler.start()
    await clock.sleep(durationMs + periodMs / 2)
    await scheduler.stop()
    const wallMs = clock.now() - startMs
    return {
      latenessMs: samples.values().slice(),
      expected: samples.expected,
      cpuPct: cpuPct(startCpu, wallMs),
      path: threads.map(t => t.since(wallMs)),
      clock: clock.status,
      schedulerSkipped: scheduler.metrics()[0]?.skippedReleases ?? Number.NaN,
    }
  } finally {
    await clock.close()
  }
}
