/**
 * `npm run bench [-- --duration S] [--rounds N] [--loads idle,gc,cpu] [--variants a,b] [--rt P]
 * [--json FILE]`: every benchmark of the foundation, one after the other, with progress on
 * stderr and a table on stdout.
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
import { cpus, loadavg, release } from 'node:os'
import { parseArgs } from 'node:util'
import { runDispatchBench, type DispatchResult } from './dispatch.ts'
import { formatTable, parseVariants, runJitterBench, type JitterLoad, type JitterResult } from './jitter.ts'

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
    rounds: { type: 'string', default: '5' },
    loads: { type: 'string', default: 'idle,gc' },
    variants: { type: 'string' },
    rt: { type: 'string' },
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
const rounds = Number(values.rounds)
const variants = parseVariants(values.variants)
const knobs = { realtimePriority: values.rt === undefined ? null : Number(values.rt) }
for (const load of loads) jitter.push(...(await runJitterBench({ durationS, rounds, load, variants, knobs, progress })))
for (const r of jitter) {
  const key = `jitter.${r.periodMs}ms.${r.load}.${r.variant}`
  const base = r.variant === 'baseline' ? undefined : jitter.find(b => b.periodMs === r.periodMs && b.load === r.load && b.variant === 'baseline')
  const vs = (pick: (x: JitterResult) => number, digits = 1): number | null => (base === undefined ? null : round(pick(base), digits))
  const ratio = (pick: (x: JitterResult) => number): number | null => (base === undefined ? null : round(pick(base) / Math.max(1, pick(r)), 2))
  measures[`${key}.lateness-p50`] = { value: round(r.p50Us, 1), unit: 'us', baseline: vs(x => x.p50Us), ratio: ratio(x => x.p50Us) }
  measures[`${key}.lateness-p99`] = { value: round(r.p99Us, 1), unit: 'us', baseline: vs(x => x.p99Us), ratio: base === undefined ? null : round(r.p99RatioVsBaseline, 2) }
  measures[`${key}.lateness-max`] = { value: round(r.maxUs, 1), unit: 'us', baseline: vs(x => x.maxUs), ratio: null }
  measures[`${key}.missed`] = { value: r.missed, unit: `of ${r.expected}`, baseline: vs(x => x.missed, 0), ratio: null }
  measures[`${key}.cpu`] = { value: round(r.cpuPct, 2), unit: '% of a core (process)', baseline: vs(x => x.cpuPct, 2), ratio: null }
  measures[`${key}.cpu-path`] = { value: round(r.pathCpuPct, 2), unit: '% of a core (timing threads)', baseline: vs(x => x.pathCpuPct, 2), ratio: null }
  measures[`${key}.run-queue-wait`] = { value: round(r.pathWaitPct, 2), unit: '% of the time (timing threads waiting for a CPU)', baseline: vs(x => x.pathWaitPct, 2), ratio: null }
  measures[`${key}.other-cpu`] = { value: round(r.otherCpuPct, 0), unit: '% of a core (other processes)', baseline: null, ratio: null }
}

process.stdout.write(`${table(dispatch, jitter)}\n`)
if (values.json !== undefined) {
  writeFileSync(values.json, `${JSON.stringify({ machine: machine(), durationS, measures }, null, 2)}\n`)
  progress(`wrote ${values.json}`)
}

function table(dispatchResults: readonly DispatchResult[], jitterResults: readonly JitterResult[]): string {
  const lines = ['dispatch cost per job (µs)', ...dispatchResults.map(r => `  ${r.name.padEnd(22)} mean ${r.perJobUs.toFixed(3).padStart(7)}   p99 ${r.p99PerJobUs.toFixed(3).padStart(7)}`)]
  lines.push('', 'release lateness (µs), missed releases, CPU (% of one core: process / timing threads / their run-queue wait / other processes)')
  lines.push(...formatTable(jitterResults).split('\n').map(line => `  ${line}`))
  return lines.join('\n')
}

function machine(): Record<string, unknown> {
  return { node: process.version, platform: process.platform, arch: process.arch, cpus: cpus().length, cpu: cpus()[0]?.model, kernel: release(), loadavg: loadavg(), date: new Date().toISOString(), rounds: Number(values.rounds), rt: values.rt ?? null }
}
