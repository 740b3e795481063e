import type { JitterResult } from './jitter-result.ts'
import type { LatenessBuckets } from './lateness-buckets.ts'
import { round, type Measure } from './measure.ts'

/** The brief's target for the worker against cyclictest at the same period: p99 at most this many times cyclictest's. */
export const CYCLICTEST_RATIO_TARGET = 2

const key = (r: JitterResult): string => `jitter.${r.periodMs}ms.${r.load}.${r.variant}`

/**
 * jitter.<period>.<load>.<variant>.…: each variant against the naive setTimeout loop of the same
 * period and load (baseline = its figure, ratio = baseline / this); cyclictest's own figures
 * (raw-…: every wake-up, not folded at the period); and each edgert variant's p99 over
 * cyclictest's in the same accounting (vs-cyclictest-p99, target <= 2).
 */
export function jitterMeasures(jitter: readonly JitterResult[]): Record<string, Measure> {
  const measures: Record<string, Measure> = {}
  for (const r of jitter) {
    const k = key(r)
    const same = (variant: string): JitterResult | undefined => jitter.find(b => b.periodMs === r.periodMs && b.load === r.load && b.variant === variant)
    const base = r.variant === 'baseline' ? undefined : same('baseline')
    const vs = (pick: (x: JitterResult) => number, digits = 1): number | null => (base === undefined ? null : round(pick(base), digits))
    const ratio = (pick: (x: JitterResult) => number): number | null => (base === undefined ? null : round(pick(base) / Math.max(1, pick(r)), 2))
    measures[`${k}.lateness-p50`] = { value: round(r.p50Us, 1), unit: 'us', baseline: vs(x => x.p50Us), ratio: ratio(x => x.p50Us) }
    measures[`${k}.lateness-p99`] = { value: round(r.p99Us, 1), unit: 'us', baseline: vs(x => x.p99Us), ratio: base === undefined ? null : round(r.p99RatioVsBaseline, 2) }
    measures[`${k}.lateness-max`] = { value: round(r.maxUs, 1), unit: 'us', baseline: vs(x => x.maxUs), ratio: null }
    measures[`${k}.missed`] = { value: r.missed, unit: `of ${r.expected}`, baseline: vs(x => x.missed, 0), ratio: null }
    if (r.variant !== 'cyclictest') {
      measures[`${k}.cpu`] = { value: round(r.cpuPct, 2), unit: '% of a core (process)', baseline: vs(x => x.cpuPct, 2), ratio: null }
      measures[`${k}.cpu-path`] = { value: round(r.pathCpuPct, 2), unit: '% of a core (timing threads)', baseline: vs(x => x.pathCpuPct, 2), ratio: null }
      measures[`${k}.run-queue-wait`] = { value: round(r.pathWaitPct, 2), unit: '% of the time (timing threads waiting for a CPU)', baseline: vs(x => x.pathWaitPct, 2), ratio: null }
    }
    measures[`${k}.other-cpu`] = { value: round(r.otherCpuPct, 0), unit: '% of a core (other processes)', baseline: null, ratio: null }
    if (r.cyclictest !== undefined) {
      const c = r.cyclictest
      measures[`${k}.raw-p50`] = { value: round(c.p50Us, 1), unit: "us (cyclictest's own: every wake-up)", baseline: null, ratio: null }
      measures[`${k}.raw-p99`] = { value: round(c.p99Us, 1), unit: "us (cyclictest's own: every wake-up)", baseline: null, ratio: null }
      measures[`${k}.raw-max`] = { value: round(c.maxUs, 1), unit: "us (cyclictest's own: every wake-up)", baseline: null, ratio: null }
      measures[`${k}.raw-avg`] = { value: round(c.avgUs, 1), unit: "us (cyclictest's own: every wake-up)", baseline: null, ratio: null }
    }
    const floor = same('cyclictest')
    if (floor !== undefined && r.variant.startsWith('edgert')) {
      const times = r.p99Us / Math.max(1, floor.p99Us)
      measures[`${k}.vs-cyclictest-p99`] = { value: round(times, 2), unit: `x (this p99 / cyclictest p99, ${round(floor.p99Us, 1)} us)`, baseline: CYCLICTEST_RATIO_TARGET, ratio: round(CYCLICTEST_RATIO_TARGET / times, 2) }
    }
  }
  return measures
}

/** The lateness distribution of every variant, keyed as its measures, for the report's histogram. */
export function jitterHistograms(jitter: readonly JitterResult[]): Record<string, LatenessBuckets> {
  return Object.fromEntries(jitter.map(r => [key(r), r.buckets]))
}
