/**
 * The `misses` group of bench/run.ts: deadline misses of a feasible table at utilisation 0.70
 * (misses-table.json) on the real clock, the scheduler in a worker thread as the rt thread runs
 * it (misses-run.ts, started through isolated.ts like the decision benchmark's rt run), while
 * the main thread runs the GC load of the jitter benchmark (jitter-load.ts): the situation of
 * `edgert run` with the main thread busy with telemetry and the network.
 * Target: no deadline miss. Skipped releases are reported next to it: a release the scheduler
 * woke up too late for is skipped, never run late, so a miss can hide there.
 */
import { startLoad } from './jitter-load.ts'
import { benchModule, runIsolated } from './isolated.ts'
import { round, type Measure } from './measure.ts'
import type { MissesRunOptions, MissesRunResult } from './misses-run.ts'

export type { MissesRunResult } from './misses-run.ts'

export const MISSES_TARGET = 0

/** What each yield style of misses-run.ts does between two chunks. */
export const STYLE_TEXT = { yield: 'await ctx.yield()', turn: 'one event-loop turn, then ctx.yield()' } as const

/** misses.<policy>.<style>.<other|fifo>: the measures' prefix (fifo: SCHED_FIFO was asked for, as `edgert run --rt-priority P`). */
export const missesKey = (r: Pick<MissesRunResult, 'policy' | 'yieldStyle' | 'realtimePriority'>): string => `misses.${r.policy}.${r.yieldStyle}.${r.realtimePriority === null ? 'other' : 'fifo'}`

const schedText = (priority: number | null): string => (priority === null ? 'SCHED_OTHER (as edgert run)' : `SCHED_FIFO ${priority} (as edgert run --rt-priority ${priority})`)

export async function runMissesBench(options: MissesRunOptions & { progress: (line: string) => void }): Promise<MissesRunResult> {
  const { progress, ...run } = options
  progress(`misses: U 0.70 table (bench/misses-table.json) under ${run.policy}, busy-wait jobs (${STYLE_TEXT[run.yieldStyle]}) in a worker on the rt thread's clock, ${schedText(run.realtimePriority)}, GC load on the main thread, ${run.durationS} s (+1 s warm-up)…`)
  const stopLoad = startLoad('gc', run.durationS * 1000 + 30_000)
  try {
    const result = await runIsolated<MissesRunResult>(benchModule(import.meta.url, 'misses-run'), 'measureMisses', [run])
    const misses = result.tasks.reduce((sum, task) => sum + task.deadlineMisses, 0)
    const skipped = result.tasks.reduce((sum, task) => sum + task.skippedReleases, 0)
    progress(`  ${missesKey(result)}: ${misses} deadline misses, ${skipped} skipped releases over ${result.tasks.reduce((sum, task) => sum + task.released, 0)} releases`)
    return result
  } finally {
    await stopLoad()
  }
}

export function missesMeasures(results: readonly MissesRunResult[]): Record<string, Measure> {
  const measures: Record<string, Measure> = {}
  for (const r of results) {
    const key = missesKey(r)
    const total = (pick: (task: MissesRunResult['tasks'][number]) => number): number => r.tasks.reduce((sum, task) => sum + pick(task), 0)
    measures[`${key}.deadline-misses`] = { value: total(task => task.deadlineMisses), unit: `misses of ${total(task => task.released)} releases (${r.durationS} s, GC load; realtime ${r.threadRealtime})`, baseline: MISSES_TARGET, ratio: null }
    measures[`${key}.skipped-releases`] = { value: total(task => task.skippedReleases), unit: 'releases skipped (woken after the next one was due)', baseline: null, ratio: null }
    measures[`${key}.releases`] = { value: total(task => task.released), unit: 'releases', baseline: null, ratio: null }
    for (const task of r.tasks) {
      measures[`${key}.${task.id}.deadline-misses`] = { value: task.deadlineMisses, unit: `of ${task.released} releases`, baseline: null, ratio: null }
      measures[`${key}.${task.id}.skipped-releases`] = { value: task.skippedReleases, unit: 'releases', baseline: null, ratio: null }
      measures[`${key}.${task.id}.response-p99`] = { value: round(task.responseTime.p99Ms, 3), unit: 'ms (completion − release)', baseline: null, ratio: null }
      measures[`${key}.${task.id}.lateness-p99`] = { value: round(task.lateness.p99Ms, 3), unit: 'ms (start − release)', baseline: null, ratio: null }
    }
  }
  return measures
}

export function formatMisses(results: readonly MissesRunResult[]): string[] {
  const lines: string[] = []
  for (const r of results) {
    lines.push(`deadline misses, U ${r.executionUtilization.toFixed(2)} busy-wait (${r.declaredUtilization.toFixed(2)} declared, admission ${r.feasible ? 'feasible' : 'NOT feasible'}), ${r.policy}, chunks end with ${STYLE_TEXT[r.yieldStyle]}, ${r.durationS} s, GC load on the main thread, ${schedText(r.realtimePriority)}: ${r.threadRealtime} (target: ${MISSES_TARGET} misses)`)
    lines.push(`  ${'task'.padEnd(6)} ${'released'.padStart(8)} ${'missed'.padStart(7)} ${'skipped'.padStart(8)} ${'overruns'.padStart(8)} ${'late p99 ms'.padStart(11)} ${'resp p99 ms'.padStart(11)} ${'resp max ms'.padStart(11)}`)
    for (const t of r.tasks) {
      lines.push(`  ${t.id.padEnd(6)} ${String(t.released).padStart(8)} ${String(t.deadlineMisses).padStart(7)} ${String(t.skippedReleases).padStart(8)} ${String(t.budgetOverruns).padStart(8)} ${t.lateness.p99Ms.toFixed(3).padStart(11)} ${t.responseTime.p99Ms.toFixed(3).padStart(11)} ${t.responseTime.maxMs.toFixed(3).padStart(11)}`)
    }
  }
  return lines
}
