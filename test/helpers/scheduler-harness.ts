import { VirtualClock } from '../../runtime/virtual-clock.ts'
import { Scheduler, periodicTask, type SchedulerEvent, type TaskInit } from '../../runtime/scheduler/scheduler.ts'
import type { Policy } from '../../runtime/scheduler/types.ts'
import type { JobContext } from '../../runtime/scheduler/job-context.ts'

/** One executed job: when it was released, started and ended, on the virtual clock. */
export interface Run {
  readonly task: string
  readonly releaseMs: number
  readonly startMs: number
  readonly endMs: number
}

/**
 * A task that "computes" for `costMs` of virtual time while holding the processor: it waits on
 * the plain VirtualClock (not a dispatch point), which is how a real job that blocks the event
 * loop, or awaits I/O outside the scheduler, behaves.
 */
export function computeTask(clock: VirtualClock, runs: Run[], init: Omit<TaskInit, 'run'> & { costMs: number }): ReturnType<typeof periodicTask> {
  const { costMs, ...rest } = init
  return periodicTask({
    ...rest,
    budgetMs: rest.budgetMs ?? costMs,
    run: async (ctx: JobContext) => {
      const startMs = clock.now()
      await clock.sleep(costMs)
      runs.push({ task: ctx.taskId, releaseMs: ctx.releaseMs, startMs, endMs: clock.now() })
    },
  })
}

/** Builds a scheduler on a fresh VirtualClock and records its events. */
export function harness(policy: Policy, build: (clock: VirtualClock, runs: Run[]) => ReturnType<typeof periodicTask>[], quantumMs = 1) {
  const clock = new VirtualClock()
  const runs: Run[] = []
  const events: SchedulerEvent[] = []
  const safeStates: { taskId: string; reason: string; atMs: number }[] = []
  const scheduler = new Scheduler({
    clock,
    settings: { policy, quantumMs },
    tasks: build(clock, runs),
    onEvent: event => events.push(event),
    onSafeState: (taskId, reason) => safeStates.push({ taskId, reason, atMs: clock.now() }),
  })
  return { clock, runs, events, safeStates, scheduler }
}

/** "task@start-end" strings, in order of start, for compact timeline assertions. */
export function timeline(runs: readonly Run[]): string[] {
  return [...runs].sort((a, b) => a.startMs - b.startMs).map(run => `${run.task}@${run.startMs}-${run.endMs}`)
}

/**
 * Runs the virtual clock to `horizonMs`, then stops the scheduler and lets the jobs that were
 * running finish (time keeps moving until they have). Jobs released but not started are aborted.
 */
export async function runUntil(clock: VirtualClock, scheduler: Scheduler, horizonMs: number): Promise<void> {
  await clock.advanceTo(horizonMs)
  const stopped = scheduler.stop()
  for (let step = 0; step < 1000 && clock.pendingTimers > 0; step++) await clock.advance(1)
  await stopped
}
