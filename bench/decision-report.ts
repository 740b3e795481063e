import type { MicroResult } from './alarm-micro.ts'
import type { AllocationResult } from './decision-alloc.ts'
import type { DecisionCostResult } from './decision-cost.ts'
import { SAMPLE_TO_WRITE_TARGET_US, type DecisionLatencyResult } from './decision-latency.ts'
import type { LatenessStats } from './jitter-samples.ts'
import { round, type Measure } from './measure.ts'

/** Everything the `decision` group of bench/run.ts measured. */
export interface DecisionRun {
  readonly latency: readonly DecisionLatencyResult[]
  readonly cost: DecisionCostResult
  readonly alloc: AllocationResult
}

const target = SAMPLE_TO_WRITE_TARGET_US

/** p50/p99/max (µs) of one distribution; the p99 against the target when `withTarget`. */
function spread(measures: Record<string, Measure>, key: string, stats: LatenessStats, withTarget: boolean): void {
  measures[`${key}.p50`] = { value: round(stats.p50Us, 2), unit: 'us', baseline: null, ratio: null }
  measures[`${key}.p99`] = { value: round(stats.p99Us, 2), unit: 'us', baseline: withTarget ? target : null, ratio: withTarget ? round(target / stats.p99Us, 2) : null }
  measures[`${key}.max`] = { value: round(stats.maxUs, 2), unit: 'us', baseline: null, ratio: null }
  measures[`${key}.count`] = { value: stats.count, unit: 'samples', baseline: null, ratio: null }
}

export function decisionMeasures(run: DecisionRun): Record<string, Measure> {
  const measures: Record<string, Measure> = {}
  for (const r of run.latency) {
    const key = `decision.${r.thread}`
    spread(measures, `${key}.sample-to-write`, r.toWrite, true)
    spread(measures, `${key}.sample-to-line`, r.toPin, false)
    spread(measures, `${key}.sample-to-decided`, r.decided, false)
    spread(measures, `${key}.frame-to-write`, r.frameToWrite, false)
    measures[`${key}.lidar.deadline-misses`] = { value: r.lidar.deadlineMisses, unit: `of ${r.lidar.released} releases`, baseline: null, ratio: null }
  }
  spread(measures, 'decision.cost.steady', run.cost.steady, false)
  spread(measures, 'decision.cost.write', run.cost.write, true)
  spread(measures, 'decision.cost.cold', run.cost.cold, false)
  const { alloc } = run
  measures['decision.alloc.per-reading'] = { value: round(alloc.perReadingBytes, 2), unit: `B per reading (${alloc.calls} readings, no state change)`, baseline: null, ratio: null }
  measures['decision.alloc.per-reading-runtime-clock'] = { value: round(alloc.perReadingRuntimeClockBytes, 2), unit: 'B per reading (engine reads performance.now())', baseline: null, ratio: null }
  measures['decision.alloc.gcs'] = { value: alloc.gcs, unit: 'GCs during the loops', baseline: null, ratio: null }
  if (alloc.retained !== null) {
    measures['decision.alloc.retained-per-reading'] = { value: round(alloc.retained.perOpBytes, 3), unit: 'B per reading, after a forced GC (--expose-gc)', baseline: null, ratio: null }
    measures['decision.alloc.heap-before'] = { value: round(alloc.retained.beforeBytes / 2 ** 20, 2), unit: 'MiB heap used, after a forced GC', baseline: null, ratio: null }
    measures['decision.alloc.heap-after'] = { value: round(alloc.retained.afterBytes / 2 ** 20, 2), unit: 'MiB heap used, after a forced GC', baseline: null, ratio: null }
  }
  return measures
}

export function microMeasures(results: readonly MicroResult[]): Record<string, Measure> {
  const measures: Record<string, Measure> = {}
  for (const r of results) {
    measures[`alarms.${r.key}.mean`] = { value: round(r.nsPerOp, 1), unit: 'ns/op', baseline: null, ratio: null }
    measures[`alarms.${r.key}.ops`] = { value: Math.round(r.opsPerS), unit: 'ops/s', baseline: null, ratio: null }
  }
  return measures
}

const cell = (value: number, width = 8): string => (Number.isFinite(value) ? value.toFixed(value < 10 ? 2 : 1) : '-').padStart(width)

function row(label: string, stats: LatenessStats, withTarget: boolean): string {
  const ratio = withTarget ? `${(target / stats.p99Us).toFixed(2)}x`.padStart(10) : ''
  return `  ${label.padEnd(50)} ${String(stats.count).padStart(6)} ${cell(stats.p50Us)} ${cell(stats.p99Us)} ${cell(stats.maxUs)}${ratio}`
}

export function formatDecision(run: DecisionRun): string[] {
  const header = `  ${''.padEnd(50)} ${'count'.padStart(6)} ${'p50'.padStart(8)} ${'p99'.padStart(8)} ${'max'.padStart(8)} ${'target/p99'.padStart(10)}`
  const lines = [`sample → brake write in the lidar job (µs; target p99 <= ${target} µs): vehicle table without latches, sim board`, header]
  for (const r of run.latency) {
    const name = r.thread === 'main' ? 'main thread' : 'rt thread'
    lines.push(row(`${name}: reading → brake write resolved`, r.toWrite, true))
    lines.push(row(`${name}: reading → brake line set`, r.toPin, false))
    lines.push(row(`${name}: reading → decided (every reading)`, r.decided, false))
    lines.push(row(`${name}: frame arrival → brake write`, r.frameToWrite, false))
    lines.push(`    lidar task: ${r.lidar.released} released, ${r.lidar.deadlineMisses} deadline misses, ${r.lidar.failed} failed, response p99 ${r.lidar.responseTime.p99Ms.toFixed(2)} ms`)
  }
  lines.push('', 'decision cost without the scheduler: pipeline + alarms + arbiter, one reading per call (µs)', header)
  lines.push(row('steady reading (nothing written)', run.cost.steady, false))
  lines.push(row('threshold crossed, until the write resolved', run.cost.write, true))
  lines.push(row('steady, after 10 ms asleep (cold caches)', run.cost.cold, false))
  const { alloc } = run
  lines.push('', `allocation on the decision path, ${alloc.calls} readings with no state change (bytes per reading)`)
  const item = (label: string, value: string): string => `  ${label.padEnd(50)} ${value.padStart(8)}`
  lines.push(item('decision path (hand-moved clock)', alloc.perReadingBytes.toFixed(2)))
  lines.push(item('the same, the engine reading performance.now()', alloc.perReadingRuntimeClockBytes.toFixed(2)))
  lines.push(item('GCs during those loops', String(alloc.gcs)))
  const retained = alloc.retained
  lines.push(
    retained === null
      ? item('retained after a forced GC', 'n/a') + '   (run node --expose-gc --import tsx bench/run.ts)'
      : item('retained after a forced GC', retained.perOpBytes.toFixed(3)) + `   (heap used ${(retained.beforeBytes / 2 ** 20).toFixed(2)} → ${(retained.afterBytes / 2 ** 20).toFixed(2)} MiB)`,
  )
  return lines
}

export function formatMicro(results: readonly MicroResult[]): string[] {
  const lines = ['reading stages, tinybench (per operation)']
  for (const r of results) lines.push(`  ${r.name.padEnd(50)} mean ${r.nsPerOp.toFixed(1).padStart(7)} ns   p99 ${r.p99NsPerOp.toFixed(1).padStart(7)} ns   ${Math.round(r.opsPerS).toLocaleString('en').padStart(12)} ops/s`)
  return lines
}
