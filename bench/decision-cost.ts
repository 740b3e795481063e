import { FAR_M, NEAR_M, openDecisionHarness } from './decision-harness.ts'
import { latenessStats, type LatenessStats } from './jitter-samples.ts'

export interface DecisionCostResult {
  /** A reading that changes nothing: pipeline + alarms + arbiter, no write (µs per call). */
  readonly steady: LatenessStats
  /** A reading that raises or clears collision-imminent: the same, until the brake (and buzzer) write resolved (µs per call). */
  readonly write: LatenessStats
}

const WARMUP_CALLS = 5000

/**
 * The lidar job's decision cost without the scheduler (decision-harness.ts), timed one call at a
 * time with performance.now() (~0.1 µs of the figure is the clock read itself):
 * - steady: `calls` readings at a constant 3 m;
 * - write: `calls` readings alternating two near (0.5 m) and two far (3 m), so the median-3
 *   distance crosses a threshold every second reading; only the calls that wrote are kept, each
 *   timed until its write promise resolved, as the job awaits it.
 */
export async function runDecisionCost(options: { calls?: number } = {}): Promise<DecisionCostResult> {
  const calls = options.calls ?? 20_000
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
    return { steady: latenessStats(steadyMs), write: latenessStats(writeMs) }
  } finally {
    await harness.close()
  }
}
