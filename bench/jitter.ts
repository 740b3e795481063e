/**
 * Jitter benchmark: how late a 1 kHz and a 100 Hz periodic job start, with three timing paths
 * measured one after the other in the same run (never concurrently):
 *   baseline       a naive setTimeout loop re-armed against absolute release times, main thread;
 *   edgert-main    the edgert Scheduler driven by the PreciseClock, main thread;
 *   edgert-worker  the same Scheduler + PreciseClock inside a worker thread ("rt thread"),
 *                  with the load (if any) left on the main thread.
 * Lateness = job start − release time. The first 200 ms of each run are warm-up.
 *
 * This is a benchmark on real time, never a test. docs/timing.md has the numbers and the method.
 *
 *   node --import tsx bench/jitter.ts [--duration S] [--load idle|gc|cpu] [--json FILE]
 *                                     [--spin US] [--rt PRIORITY] [--pm-qos]
 *
 * --spin and --rt go to the PreciseClock (spin tail; SCHED_FIFO of its timer thread); with --rt
 * the edgert-worker variant also makes its own scheduler thread SCHED_FIFO. --pm-qos holds
 * /dev/cpu_dma_latency at 0 for the whole run. Without them the clock runs as it does by
 * default: timer slack 1 ns, no spin, no realtime priority.
 */
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs'
import { cpus, loadavg, release } from 'node:os'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { siblingModuleUrl, startModuleWorker } from '../runtime/executive/module-worker.ts'
import type { PreciseClockOptions, PreciseClockStatus } from '../runtime/executive/precise-clock.ts'
import { startLoad, type JitterLoad } from './jitter-load.ts'
import { runBaseline, runEdgert, type RawRun, type RunPlan } from './jitter-runs.ts'
import { machineBusyMs, processBusyMs } from './jitter-machine.ts'
import { latenessStats } from './jitter-samples.ts'
import type { JitterWorkerData } from './jitter-worker.ts'

export type { JitterLoad } from './jitter-load.ts'

export type JitterVariant = 'baseline' | 'edgert-main' | 'edgert-worker'

export interface JitterResult {
  readonly periodMs: number
  readonly variant: JitterVariant
  readonly load: JitterLoad
  /** Lateness over the recorded jobs, µs. */
  readonly count: number
  readonly p50Us: number
  readonly p99Us: number
  readonly maxUs: number
  /** Jobs that started before their release (only a timer that fires early does that). */
  readonly early: number
  /** Releases in the measured window that never ran, of `expected`. */
  readonly missed: number
  readonly expected: number
  /** Whole-process CPU over the run, % of one core; includes an in-process (gc) load. */
  readonly cpuPct: number
  /**
   * CPU used by OTHER processes while this run (with its start-up) went on, % of one core:
   * machine busy − this process, from /proc/stat. A high value means a busy neighbour.
   * The cpu load's child process counts here.
   */
  readonly otherCpuPct: number
  /** baseline p99 / this p99 (same period, same run); 1 for the baseline. */
  readonly p99RatioVsBaseline: number
  readonly clock?: PreciseClockStatus
  readonly schedulerSkipped?: number
  /** edgert-worker: SCHED_FIFO of the scheduler's own thread ('set', 'off' or why not). */
  readonly threadRealtime?: string
}

export interface JitterBenchOptions {
  readonly durationS: number
  readonly load: JitterLoad
  readonly progress?: (line: string) => void
  /** PreciseClock options for the edgert variants (default: timer slack 1 ns, no spin, no RT). */
  readonly clock?: PreciseClockOptions
}

const PERIODS_MS = [1, 10] as const
const VARIANTS: readonly JitterVariant[] = ['baseline', 'edgert-main', 'edgert-worker']
const WARMUP_MS = 200

export async function runJitterBench(options: JitterBenchOptions): Promise<JitterResult[]> {
  const { durationS, load } = options
  if (!(durationS > WARMUP_MS / 1000)) throw new RangeError(`durationS must exceed the ${WARMUP_MS} ms warm-up, got ${durationS}`)
  const progress = options.progress ?? (() => undefined)
  const clockOptions = options.clock ?? {}
  const results: JitterResult[] = []
  for (const periodMs of PERIODS_MS) {
    const plan: RunPlan = { periodMs, durationMs: durationS * 1000, warmupMs: WARMUP_MS }
    let baselineP99Us = Number.NaN
    for (const variant of VARIANTS) {
      progress(`${periodMs} ms ${variant}, load ${load}: ${durationS} s…`)
      const stopLoad = startLoad(load, plan.durationMs + 10_000)
      const machineStartMs = machineBusyMs()
      const processStartMs = processBusyMs()
      const wallStartMs = performance.now()
      let raw: RawRun
      try {
        raw = await measure(variant, plan, clockOptions)
      } finally {
        await stopLoad()
      }
      const otherMs = machineBusyMs() - machineStartMs - (processBusyMs() - processStartMs)
      const otherCpuPct = Math.max(0, (otherMs / (performance.now() - wallStartMs)) * 100)
      const stats = latenessStats(raw.latenessMs)
      if (variant === 'baseline') baselineP99Us = stats.p99Us
      const result: JitterResult = {
        periodMs,
        variant,
        load,
        ...stats,
        missed: Math.max(0, raw.expected - stats.count),
        expected: raw.expected,
        cpuPct: raw.cpuPct,
        otherCpuPct,
        p99RatioVsBaseline: baselineP99Us / stats.p99Us,
        ...(raw.clock === undefined ? {} : { clock: raw.clock }),
        ...(raw.schedulerSkipped === undefined ? {} : { schedulerSkipped: raw.schedulerSkipped }),
        ...(raw.threadRealtime === undefined ? {} : { threadRealtime: raw.threadRealtime }),
      }
      results.push(result)
      progress(formatRow(result))
    }
  }
  return results
}

function measure(variant: JitterVariant, plan: RunPlan, clockOptions: PreciseClockOptions): Promise<RawRun> {
  if (variant === 'baseline') return runBaseline(plan)
  if (variant === 'edgert-main') return runEdgert(plan, clockOptions)
  return runInWorker(plan, clockOptions)
}

function runInWorker(plan: RunPlan, clockOptions: PreciseClockOptions): Promise<RawRun> {
  const workerData: JitterWorkerData = { plan, clockOptions }
  const worker = startModuleWorker(siblingModuleUrl(import.meta.url, 'jitter-worker'), { workerData })
  return new Promise((resolve, reject) => {
    worker.once('message', (run: RawRun) => resolve(run))
    worker.once('error', reject)
    worker.once('exit', code => reject(new Error(`jitter worker exited with code ${code} before reporting`)))
  })
}

// ---- output ----

const COLUMNS: readonly (readonly [title: string, width: number, align: 'left' | 'right'])[] = [
  ['period', 6, 'left'],
  ['variant', 14, 'left'],
  ['load', 4, 'left'],
  ['jobs', 6, 'right'],
  ['p50 µs', 8, 'right'],
  ['p99 µs', 8, 'right'],
  ['max µs', 8, 'right'],
  ['early', 6, 'right'],
  ['missed/expected', 16, 'right'],
  ['cpu %', 6, 'right'],
  ['other %', 7, 'right'],
  ['p99 base/this', 13, 'right'],
]

function formatCells(cells: readonly string[]): string {
  return cells
    .map((cell, i) => {
      const [, width, align] = COLUMNS[i]!
      return align === 'left' ? cell.padEnd(width) : cell.padStart(width)
    })
    .join('  ')
    .trimEnd()
}

function formatRow(r: JitterResult): string {
  return formatCells([
    `${r.periodMs} ms`,
    r.variant,
    r.load,
    String(r.count),
    r.p50Us.toFixed(0),
    r.p99Us.toFixed(0),
    r.maxUs.toFixed(0),
    String(r.early),
    `${r.missed}/${r.expected}`,
    r.cpuPct.toFixed(1),
    r.otherCpuPct.toFixed(0),
    r.variant === 'baseline' ? '' : `${r.p99RatioVsBaseline.toFixed(1)}x`,
  ])
}

export function formatTable(results: readonly JitterResult[]): string {
  return [formatCells(COLUMNS.map(([title]) => title)), ...results.map(formatRow)].join('\n')
}

// ---- command line ----

/**
 * Holds /dev/cpu_dma_latency at 0 µs (PM QoS) while the returned function is not called: CPUs
 * stay out of deep idle states, which removes idle-exit latency from every wake-up (Linux
 * Documentation/power/pm_qos_interface.rst). Needs write access to the device (root here).
 */
function holdPmQos(): () => void {
  const fd = openSync('/dev/cpu_dma_latency', 'w')
  writeSync(fd, new Int32Array([0]))
  return () => closeSync(fd)
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      load: { type: 'string', default: 'idle' },
      json: { type: 'string' },
      spin: { type: 'string', default: '0' },
      rt: { type: 'string' },
      'pm-qos': { type: 'boolean', default: false },
    },
  })
  const load = values.load as JitterLoad
  if (!['idle', 'gc', 'cpu'].includes(load)) throw new RangeError(`--load must be idle, gc or cpu, got ${values.load}`)
  const clock: PreciseClockOptions = {
    spinUs: Number(values.spin),
    timerSlack: true,
    realtimePriority: values.rt === undefined ? null : Number(values.rt),
  }
  const releasePmQos = values['pm-qos'] ? holdPmQos() : () => undefined
  try {
    const startedAt = new Date().toISOString()
    const results = await runJitterBench({ durationS: Number(values.duration), load, clock, progress: line => console.error(line) })
    const clockStatus = results.find(r => r.clock !== undefined)?.clock
    const workerRealtime = results.find(r => r.threadRealtime !== undefined)?.threadRealtime
    console.log(`jitter ${startedAt}  node ${process.version}  ${cpus().length}x ${cpus()[0]?.model ?? '?'}  linux ${release()}`)
    console.log(`load ${load}, ${values.duration} s per run, clock spinUs=${clock.spinUs} rt=${values.rt ?? 'off'} pm-qos=${values['pm-qos']}; clock status ${JSON.stringify(clockStatus)}, rt-thread realtime ${workerRealtime}`)
    console.log(formatTable(results))
    if (values.json !== undefined) {
      const meta = { startedAt, argv: process.argv.slice(2), node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model, kernel: release(), loadavg: loadavg() }
      writeFileSync(values.json, JSON.stringify({ meta, results }, null, 2) + '\n')
    }
  } finally {
    releasePmQos()
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main()
