/**
 * Jitter benchmark: how late a 1 kHz and a 100 Hz periodic job start (lateness = job start −
 * release time), for the timing paths of jitter-variants.ts, next to a naive setTimeout loop
 * measured in the same run. Variants never run at the same time: each round runs every variant
 * once for duration/rounds seconds, so a neighbour that gets busy for a while hits all of them
 * alike; the first 100 ms of each round and a JIT warm-up run per variant are not recorded.
 *
 * This is a benchmark on real time, never a test. docs/timing.md has the numbers and the method.
 *
 *   node --import tsx bench/jitter.ts [--duration S] [--rounds N] [--load idle|gc|cpu]
 *        [--variants a,b,…] [--json FILE] [--spin US] [--rt PRIORITY] [--pm-qos]
 *
 * --duration is the measured time per variant (split over the rounds). --spin overrides every
 * edgert variant's spin tail. --rt makes the timing threads of every variant but the baseline
 * SCHED_FIFO (the worker variants' own thread too). --pm-qos holds /dev/cpu_dma_latency at 0.
 */
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs'
import { cpus, loadavg, release } from 'node:os'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { startLoad, type JitterLoad } from './jitter-load.ts'
import { machineBusyMs, processBusyMs } from './jitter-machine.ts'
import { summarize, type JitterResult, type RoundRun } from './jitter-result.ts'
import type { RunPlan } from './jitter-runs.ts'
import { formatRow, formatTable, us } from './jitter-table.ts'
import { ALL_VARIANTS, installedVariants, openRunner, type JitterVariant, type VariantKnobs, type VariantRunner } from './jitter-variants.ts'

export type { JitterLoad } from './jitter-load.ts'
export type { JitterResult } from './jitter-result.ts'
export type { JitterVariant } from './jitter-variants.ts'
export { formatTable } from './jitter-table.ts'
export { installedVariants } from './jitter-variants.ts'

export interface JitterBenchOptions {
  /** Measured seconds per variant and period, split over the rounds. */
  readonly durationS: number
  readonly rounds?: number
  readonly load: JitterLoad
  readonly variants?: readonly JitterVariant[]
  readonly knobs?: VariantKnobs
  readonly progress?: (line: string) => void
}

const PERIODS_MS = [1, 10] as const
export const DEFAULT_VARIANTS: readonly JitterVariant[] = ['baseline', 'floor', 'cyclictest', 'edgert-main', 'edgert-worker']
const DEFAULT_ROUNDS = 5
/** Not recorded at the start of each round: the clock's and the load's start-up. */
const ROUND_WARMUP_MS = 100
/** Run once per variant before the rounds, not recorded: JIT warm-up (300 jobs). */
const JIT_WARMUP: RunPlan = { periodMs: 1, durationMs: 300, warmupMs: 300 }

export async function runJitterBench(options: JitterBenchOptions): Promise<JitterResult[]> {
  const rounds = options.rounds ?? DEFAULT_ROUNDS
  const sliceMs = (options.durationS * 1000) / rounds + ROUND_WARMUP_MS
  if (!(Number.isInteger(rounds) && rounds >= 1)) throw new RangeError(`rounds must be a positive integer, got ${rounds}`)
  if (!(options.durationS > 0)) throw new RangeError(`durationS must be positive, got ${options.durationS}`)
  const variants = options.variants ?? DEFAULT_VARIANTS
  const knobs = options.knobs ?? { realtimePriority: null }
  const progress = options.progress ?? (() => undefined)
  const results: JitterResult[] = []
  for (const periodMs of PERIODS_MS) {
    const plan: RunPlan = { periodMs, durationMs: sliceMs, warmupMs: ROUND_WARMUP_MS }
    progress(`${periodMs} ms, load ${options.load}: ${rounds} rounds of ${(sliceMs / 1000).toFixed(2)} s per variant (${variants.join(', ')})…`)
    const byVariant = await measureRounds(variants, knobs, plan, rounds, options.load, progress)
    const baseline = byVariant.get('baseline')
    const baselineP99Us = baseline === undefined ? Number.NaN : summarize({ periodMs, variant: 'baseline', load: options.load }, baseline, Number.NaN).p99Us
    for (const variant of variants) {
      const result = summarize({ periodMs, variant, load: options.load }, byVariant.get(variant) ?? [], variant === 'baseline' ? Number.NaN : baselineP99Us)
      results.push(result)
      progress(formatRow(result))
    }
  }
  return results
}

async function measureRounds(variants: readonly JitterVariant[], knobs: VariantKnobs, plan: RunPlan, rounds: number, load: JitterLoad, progress: (line: string) => void): Promise<Map<JitterVariant, RoundRun[]>> {
  const runners = new Map<JitterVariant, VariantRunner>()
  const byVariant = new Map<JitterVariant, RoundRun[]>()
  try {
    for (const variant of variants) {
      const runner = await openRunner(variant, knobs)
      runners.set(variant, runner)
      await runner.measure(JIT_WARMUP)
    }
    for (let round = 1; round <= rounds; round++) {
      const p99s: string[] = []
      for (const [variant, runner] of runners) {
        const run = await measureRound(runner, plan, load)
        byVariant.set(variant, [...(byVariant.get(variant) ?? []), run])
        p99s.push(`${variant} ${us(summarize({ periodMs: plan.periodMs, variant, load }, [run], Number.NaN).p99Us)}`)
      }
      progress(`  round ${round}/${rounds} p99 µs: ${p99s.join(', ')}`)
    }
  } finally {
    for (const runner of runners.values()) await runner.close()
  }
  return byVariant
}

/** One round of one variant, with the load running and the rest of the machine watched. */
async function measureRound(runner: VariantRunner, plan: RunPlan, load: JitterLoad): Promise<RoundRun> {
  const stopLoad = startLoad(load, plan.durationMs + 10_000)
  const machineStartMs = machineBusyMs()
  const processStartMs = processBusyMs()
  const wallStartMs = performance.now()
  try {
    const raw = await runner.measure(plan)
    const wallMs = performance.now() - wallStartMs
    return { raw, wallMs, otherMs: machineBusyMs() - machineStartMs - (processBusyMs() - processStartMs) }
  } finally {
    await stopLoad()
  }
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

/** Parses --variants (a comma list of ALL_VARIANTS; 'all' for every one). */
export function parseVariants(list: string | undefined): readonly JitterVariant[] {
  if (list === undefined) return DEFAULT_VARIANTS
  if (list === 'all') return ALL_VARIANTS
  const names = list.split(',').map(name => name.trim())
  for (const name of names) if (!(ALL_VARIANTS as readonly string[]).includes(name)) throw new RangeError(`--variants: unknown variant "${name}" (${ALL_VARIANTS.join(', ')}, all)`)
  return names as JitterVariant[]
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      rounds: { type: 'string', default: String(DEFAULT_ROUNDS) },
      load: { type: 'string', default: 'idle' },
      variants: { type: 'string' },
      json: { type: 'string' },
      spin: { type: 'string' },
      rt: { type: 'string' },
      'pm-qos': { type: 'boolean', default: false },
    },
  })
  const load = values.load as JitterLoad
  if (!['idle', 'gc', 'cpu'].includes(load)) throw new RangeError(`--load must be idle, gc or cpu, got ${values.load}`)
  const knobs: VariantKnobs = { realtimePriority: values.rt === undefined ? null : Number(values.rt), ...(values.spin === undefined ? {} : { spinUs: Number(values.spin) }) }
  const releasePmQos = values['pm-qos'] ? holdPmQos() : () => undefined
  try {
    const startedAt = new Date().toISOString()
    const options = { durationS: Number(values.duration), rounds: Number(values.rounds), load, variants: installedVariants(parseVariants(values.variants), line => console.error(line)), knobs }
    const results = await runJitterBench({ ...options, progress: line => console.error(line) })
    console.log(`jitter ${startedAt}  node ${process.version}  ${cpus().length}x ${cpus()[0]?.model ?? '?'}  linux ${release()}`)
    console.log(`load ${load}, ${values.duration} s per variant in ${values.rounds} rounds, spin ${values.spin ?? 'per variant'}, rt ${values.rt ?? 'off'}, pm-qos ${values['pm-qos']}`)
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
