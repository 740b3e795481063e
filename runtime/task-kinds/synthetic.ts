import type { Clock } from '../clock.ts'
import type { JobContext } from '../scheduler/job-context.ts'

/**
 * The `synthetic` task kind: each job holds the processor for `computeMs` (it waits on the plain
 * clock, which is not a dispatch point, so nothing else runs meanwhile; it does not burn CPU),
 * split into `chunkMs` pieces with a ctx.yield() between them. It stands in for real work when
 * sizing a schedule or demonstrating the policies.
 */
export function syntheticJob(clock: Clock, computeMs: number, chunkMs: number | undefined): (ctx: JobContext) => Promise<void> {
  const pieceMs = chunkMs === undefined || chunkMs >= computeMs ? computeMs : chunkMs
  return async ctx => {
    let leftMs = computeMs
    while (leftMs > 0) {
      const stepMs = Math.min(pieceMs, leftMs)
      await clock.sleep(stepMs, ctx.signal)
      leftMs -= stepMs
      if (leftMs > 0) await ctx.yield()
    }
  }
}
