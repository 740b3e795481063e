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
  readonly cases: readonly AllocationCase[]
  /**
   * Only with `node --expose-gc`: heap used after a forced full GC before and after the decision
   * loop (what the loop left behind); null otherwise ("n/a").
   */
  readonly retained: { readonly beforeBytes: number; readonly afterBytes: number; readonly perOpBytes: number } | null
}

const WARMUP_CALLS = 10_000

/**
 * Allocation on the decision path with no state change: `calls` readings at a constant 3 m
 * through pipeline + alarms + arbiter (nothing to write). Cases:
 * - harness: the harness's own work per call (the clock step and rewriting the reading), to
 *   subtract;
 * - decision: harness + TaskPipeline.onReading + AlarmEngine.evaluateTask, hand-moved clock;
 * - decision, runtime clock: the same with now() = performance.now(), as the precise clock reads
 *   it (performance.now() allocates a heap number on Node 20, docs/timing.md).
 */
export async function runDecisionAlloc(options: { calls?: number } = {}): Promise<AllocationResult> {
  const calls = options.calls ?? 100_000
  const cases: AllocationCase[] = []
  let retained: AllocationResult['retained'] = null
  const hand = await openDecisionHarness()
  try {
    cases.push(measure('harness only (clock step, reading rewrite)', calls, () => hand.idle(FAR_M)))
    cases.push(measure('decision (pipeline + alarms + arbiter)', calls, steadyDecision(hand)))
    if (typeof gc === 'function') retained = retainedBy(calls, steadyDecision(hand), gc)
  } finally {
    await hand.close()
  }
  const timed = await openDecisionHarness({ now: () => performance.now() })
  try {
    cases.push(measure('decision, clock = performance.now()', calls, steadyDecision(timed)))
  } finally {
    await timed.close()
  }
  return { cases, retained }
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
