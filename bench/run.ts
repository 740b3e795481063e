/**
 * `npm run bench [-- --duration S] [--loads idle,gc,cpu] [--json FILE]`: every benchmark of the
 * foundation, one after the other, with progress on stderr and a table on stdout.
 *
 * - dispatch: the scheduler's cost per job at 10, 100 and 1,000 tasks (tinybench; target <= 1 µs
 *   per job at 1,000 tasks).
 * - jitter: release lateness of a 1 kHz and a 100 Hz task, edgert (main thread and rt worker)
 *   next to a naive setTimeout loop measured in the same run, with CPU (targets: p99 at 1 kHz at
 *   least 10x better than the naive loop; <= 5 % of a core).
 *
 * Benchmarks report; they never fail on a number (these machines are shared and noisy).
 * With --json every measure is one key: { value, unit, baseline, ratio }.
 */
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { runDispatchBench, type DispatchResult } from './dispatch.ts'
import { runJitterBench, type JitterLoad, type JitterResult } from './jitter.ts'

interface Measure {
  readonly value: number
  readonly unit: string
  /** The same measure for the baseline in the same run, or the target when there is no baseline. */
  readonly baseline: number | null
  /** baseline / value for "lower is better" measures (how many times better edgert is). */
  readonly ratio: number | null
}

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    loads: { type: 'string', default: 'idle,gc' },
    json: { type: 'string' },
    'dispatch-time': { type: 'string', default: '1000' },
  },
})
const durationS = Number(values.duration)
const loads = values.loads.split(',').map(load => load.trim()) as JitterLoad[]
for (const load of loads) if (!['idle', 'gc', 'cpu'].includes(load)) throw new RangeError(`--loads: unknown load "${load}" (idle, gc, cpu)`)
const progress = (line: string): void => void process.stderr.write(`${line}\n`)

const measures: Record<string, Measure> = {}
const round = (value: number, digits = 3): number => Number(value.toFixed(digits))

progress('dispatch: tinybench, 1 s per case…')
const dispatch = await runDispatchBench({ timeMs: Number(values['dispatch-time']) })
for (const r of dispatch) measures[`dispatch.${r.policy}.${r.tasks}-tasks.per-job`] = { value: round(r.perJobUs), unit: 'us', baseline: r.tasks === 1000 ? 1 : null, ratio: r.tasks === 1000 ? round(1 / r.perJobUs, 2) : null }

const jitter: JitterResult[] = []
for (const load of loads) jitter.push(...(await runJitterBench({ durationS, load, progress })))
for (const r of jitter) {
  const key = `jitter.${r.periodMs}ms.${r.load}.${r.variant}`
  const baseline = jitter.find(b => b.periodMs === r.periodMs && b.load === r.load && b.variant === 'baseline')
  const vs = (pick: (x: JitterResult) => number) => (r.variant === 'baseline' || baseline === undefined ? null : pick(baseline))
  measures[`${key}.lateness-p50`] = { value: r.p50Us, unit: 'us', baseline: vs(x => x.p50Us), ratio: r.variant === 'baseline' ? null : round((baseline?.p50Us ?? NaN) / Math.max(1, r.p50Us), 2) }
  measures[`${key}.lateness-p99`] = { value: r.p99Us, unit: 'us', baseline: vs(x => x.p99Us), ratio: r.variant === 'baseline' ? null : round(r.p99RatioVsBaseline, 2) }
  measures[`${key}.lateness-max`] = { value: r.maxUs, unit: 'us', baseline: vs(x => x.maxUs), ratio: null }
  measures[`${key}.missed`] = { value: r.missed, unit: `of ${r.expected}`, baseline: vs(x => x.missed), ratio: null }
  measures[`${key}.cpu`] = { value: round(r.cpuPct, 2), unit: '% of a core', baseline: vs(x => x.cpuPct), ratio: null }
}

process.stdout.write(`${table(dispatch, jitter)}\n`)
if (values.json !== undefined) {
  writeFileSync(values.json, `${JSON.stringify({ machine: machine(), durationS, measures }, null, 2)}\n`)
  progress(`wrote ${values.json}`)
}

function table(dispatchResults: readonly DispatchResult[], jitterResults: readonly JitterResult[]): string {
  const lines = ['dispatch cost per job (µs)', ...dispatchResults.map(r => `  ${r.name.padEnd(22)} mean ${r.perJobUs.toFixed(3).padStart(7)}   p99 ${r.p99PerJobUs.toFixed(3).padStart(7)}`), '', 'release lateness (µs), missed releases, CPU (% of one core)']
  lines.push(`  ${'period'.padEnd(7)}${'load'.padEnd(6)}${'variant'.padEnd(15)}${'p50'.padStart(8)}${'p99'.padStart(9)}${'max'.padStart(9)}${'missed'.padStart(13)}${'cpu'.padStart(7)}${'p99 vs naive'.padStart(14)}`)
  for (const r of jitterResults) {
    lines.push(`  ${`${r.periodMs} ms`.padEnd(7)}${r.load.padEnd(6)}${r.variant.padEnd(15)}${String(r.p50Us).padStart(8)}${String(r.p99Us).padStart(9)}${String(r.maxUs).padStart(9)}${`${r.missed}/${r.expected}`.padStart(13)}${r.cpuPct.toFixed(1).padStart(7)}${(r.variant === 'baseline' ? '' : `${r.p99RatioVsBaseline.toFixed(1)}x`).padStart(14)}`)
  }
  return lines.join('\n')
}

function machine(): Record<string, unknown> {
  return { node: process.version, platform: process.platform, arch: process.arch, date: new Date().toISOString() }
}
