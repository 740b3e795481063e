import { GCProfiler } from 'node:v8'
import { FAR_M, openDecisionHarness, type DecisionHarness } from './decision-harness.ts'

export interface AllocationCase {
  readonly name: string
  readonly calls: number
  /**
   * Bytes allocated per call: heapUsed after the loop − before it, plus whatever the GCs that ran
   * during the loop reclaimed (v8.GCProfiler), so a scavenge in the middle does not hide garbage.
   */
  readonly allocatedBytesPerOp: number
  /** GCs during the loop (0 when nothing, or too little to fill the young generation, was allocated). */
  readonly gcs: number
}

export interface AllocationResult {
  readonly calls: number
  /** Bytes per reading on the decision path alone: decision − harness, hand-moved clock. */
  readonly perReadingBytes: number
  /** The same with the runtime's clock (performance.now()) read by the engine. */
  readonly perReadingRuntimeClockBytes: number
  /** GCs during the two decision loops. */
  readonly gcs: number
  readonly cases: readonly AllocationCase[]
  /**
   * Only with `node --expose-gc`: heap used after a forced full GC before and after the decision
   * loop (what the loop left behind); null otherwise ("n/a").
   */
  readonly retained: { readonly beforeBytes: number; readonly afterBytes: number; readonly perOpBytes: number } | null
}

const WARMUP_CALLS = 100_000

/**
 * Allocation on the decision path with no state change: `calls` readings at a constant 3 m
 * through pipeline + alarms + arbiter (nothing to write), each case after a warm-up. Cases, for
 * a hand-moved clock and for now() = performance.now() as the precise clock reads it (it
 * allocates a heap number per call on Node 20, docs/timing.md):
 * - harness: the harness's own work per call (the clock step, rewriting the reading), to subtract;
 * - decision: the harness + TaskPipeline.onReading + AlarmEngine.evaluateTask.
 * The reading itself is reused; a real driver allocates one per sample (not counted here).
 */
export async function runDecisionAlloc(options: { calls?: number } = {}): Promise<AllocationResult> {
  const calls = options.calls ?? 100_000
  const cases: AllocationCase[] = []
  let retained: AllocationResult['retained'] = null
  for (const clock of ['hand-moved clock', 'performance.now() clock'] as const) {
    const harness = await openDecisionHarness(clock === 'hand-moved clock' ? {} : { now: () => performance.now() })
    try {
      cases.push(measure(`harness only, ${clock}`, calls, () => harness.idle(FAR_M)))
      cases.push(measure(`decision, ${clock}`, calls, steadyDecision(harness)))
      const collect = globalThis.gc
      if (clock === 'hand-moved clock' && collect !== undefined) retained = retainedBy(calls, steadyDecision(harness), () => void collect())
    } finally {
      await harness.close()
    }
  }
  const [handHarness, handDecision, timedHarness, timedDecision] = cases as [AllocationCase, AllocationCase, AllocationCase, AllocationCase]
  return {
    calls,
    perReadingBytes: Math.max(0, handDecision.allocatedBytesPerOp - handHarness.allocatedBytesPerOp),
    perReadingRuntimeClockBytes: Math.max(0, timedDecision.allocatedBytesPerOp - timedHarness.allocatedBytesPerOp),
    gcs: handDecision.gcs + timedDecision.gcs,
    cases,
    retained,
  }
}

function steadyDecision(harness: DecisionHarness): () => void {
  return () => {
    if (harness.decide(FAR_M) !== undefined) throw new Error('decision alloc: a steady reading wrote an output')
  }
}

function measure(name: string, calls: number, run: () => void): AllocationCase {
  for (let i = 0; i < WARMUP_CALLS; i++) run()
  globalThis.gc?.()
  const profiler = new GCProfiler()
  profiler.start()
  const beforeBytes = process.memoryUsage().heapUsed
  for (let i = 0; i < calls; i++) run()
  const afterBytes = process.memoryUsage().heapUsed
  const { statistics } = profiler.stop()
  let reclaimedBytes = 0
  for (const { beforeGC, afterGC } of statistics) reclaimedBytes += beforeGC.heapStatistics.usedHeapSize - afterGC.heapStatistics.usedHeapSize
  return { name, calls, allocatedBytesPerOp: (afterBytes - beforeBytes + reclaimedBytes) / calls, gcs: statistics.length }
}

function retainedBy(calls: number, run: () => void, collect: () => void): NonNullable<AllocationResult['retained']> {
  collect()
  const beforeBytes = process.memoryUsage().heapUsed
  for (let i = 0; i < calls; i++) run()
  collect()
  const afterBytes = process.memoryUsage().heapUsed
  return { beforeBytes, afterBytes, perOpBytes: (afterBytes - beforeBytes) / calls }
}
