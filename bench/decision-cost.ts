import { setTimeout as sleep } from 'node:timers/promises'
import { FAR_M, NEAR_M, openDecisionHarness } from './decision-harness.ts'
import { latenessStats, type LatenessStats } from './jitter-samples.ts'
import { LIDAR_PERIOD_MS } from './vehicle-table.ts'

export interface DecisionCostResult {
  /** A reading that changes nothing: pipeline + alarms + arbiter, no write (µs per call). */
  readonly steady: LatenessStats
  /** A reading that raises or clears collision-imminent: the same, until the brake (and buzzer) write resolved (µs per call). */
  readonly write: LatenessStats
  /** steady, but each call 10 ms after the previous, the thread asleep in between as between two lidar jobs (µs per call). */
  readonly cold: LatenessStats
}

const WARMUP_CALLS = 50_000

/**
 * The lidar job's decision cost without the scheduler (decision-harness.ts), timed one call at a
 * time with performance.now() (~0.1 µs of the figure is the clock read itself):
 * - steady: `calls` readings at a constant 3 m;
 * - write: `calls` readings alternating two near (0.5 m) and two far (3 m), so the median-3
 *   distance crosses a threshold every second reading; only the calls that wrote are kept, each
 *   timed until its write promise resolved, as the job awaits it;
 * - cold: `coldCalls` steady readings, each after a 10 ms sleep (the lidar's period): the same
 *   optimised code with cold caches and branch predictors, which is what a job meets in the
 *   running runtime (docs/timing.md, "Cold JavaScript").
 */
export async function runDecisionCost(options: { calls?: number; coldCalls?: number } = {}): Promise<DecisionCostResult> {
  const calls = options.calls ?? 20_000
  const coldCalls = options.coldCalls ?? 200
  const harness = await openDecisionHarness()
  try {
    const steadyMs = new Float64Array(calls)
    for (let i = -WARMUP_CALLS; i < calls; i++) {
      const startMs = performance.now()
      const writing = harness.decide(FAR_M)
      const endMs = performance.now()
      if (writing !== undefined) throw new Error('decision cost: a steady reading wrote an output')
      if (i >= 0) steadyMs[i] = endMs - startMs
    }
    const writeMs = new Float64Array(calls)
    let writes = 0
    for (let i = -WARMUP_CALLS; writes < calls; i++) {
      if (i > 4 * calls) throw new Error('decision cost: alternating readings stopped writing the brake')
      const distanceM = (i & 2) === 0 ? NEAR_M : FAR_M
      const startMs = performance.now()
      const writing = harness.decide(distanceM)
      if (writing === undefined) continue
      await writing
      const endMs = performance.now()
      if (i >= 0) writeMs[writes++] = endMs - startMs
    }
    const coldMs = new Float64Array(coldCalls)
    for (let i = 0; i < coldCalls; i++) {
      await sleep(LIDAR_PERIOD_MS)
      const startMs = performance.now()
      const writing = harness.decide(FAR_M)
      coldMs[i] = performance.now() - startMs
      if (writing !== undefined) throw new Error('decision cost: a steady reading wrote an output')
    }
    return { steady: latenessStats(steadyMs), write: latenessStats(writeMs), cold: latenessStats(coldMs) }
  } finally {
    await harness.close()
  }
}
