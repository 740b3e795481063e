/**
 * `npm run bench [-- --only GROUPS] [--duration S] [--rounds N] [--loads idle,gc,cpu]
 * [--variants a,b] [--rt P] [--decision-duration S] [--decision-threads main,rt]
 * [--micro-time MS] [--mqtt-readings N] [--mqtt-rounds N] [--mqtt-duration S] [--json FILE]`:
 * every benchmark of the foundation, one after the other, with progress on stderr and a table on
 * stdout. `--only` picks groups, a comma list of dispatch, jitter, decision, alarms, mqtt
 * (default: all of them).
 *
 * - dispatch: the scheduler's cost per job at 10, 100 and 1,000 tasks (tinybench; target <= 1 µs
 *   per job at 1,000 tasks).
 * - jitter: release lateness of a 1 kHz and a 100 Hz task, edgert (main thread and rt worker)
 *   next to a naive setTimeout loop measured in the same run, with CPU (targets: p99 at 1 kHz at
 *   least 10x better than the naive loop; <= 5 % of a core).
 * - decision: sample → brake write latency in the lidar job of the vehicle table (without
 *   latches) on the sim board, the runtime on the main thread and on an rt-thread-style worker
 *   (target: p99 <= 200 µs); the same decision path timed without the scheduler; and its
 *   allocation per reading when nothing changes (docs/timing.md, "The decision path").
 * - alarms: tinybench micro-benchmarks of the reading stages (alarm evaluation, a filter chain,
 *   TaskPipeline.onReading, the whole decision), ns per operation.
 * - mqtt: telemetry readings/s through the real path (DeviceTelemetry → batcher → dispatcher →
 *   outbox on disk → MqttLink) next to raw mqtt.js publishing the same batches, through mosquitto
 *   and the embedded aedes broker (target: edgert >= 50 % of raw); and alarm transition → alarm
 *   event at a subscriber through mosquitto while telemetry flows (target: p99 <= 2 ms), with
 *   mosquitto's sockets no-delay and at its default. Skips mosquitto's measures, saying why, if
 *   it is not installed (bench/mqtt-bench.ts).
 *
 * Benchmarks report; they never fail on a number (these machines are shared and noisy).
 * With --json every measure is one key: { value, unit, baseline, ratio }.
 */
import { writeFileSync } from 'node:fs'
import { cpus, loadavg, release } from 'node:os'
import { parseArgs } from 'node:util'
import type { MicroResult } from './alarm-micro.ts'
import type { AllocationResult } from './decision-alloc.ts'
import type { DecisionCostResult } from './decision-cost.ts'
import { runDecisionLatencyBench, type DecisionLatencyResult, type DecisionThread } from './decision-latency.ts'
import { decisionMeasures, formatDecision, formatMicro, microMeasures, type DecisionRun } from './decision-report.ts'
import { runDispatchBench, type DispatchResult } from './dispatch.ts'
import { runMqttBench } from './mqtt-bench.ts'
import { formatMqtt, mqttMeasures } from './mqtt-report.ts'
import { formatTable, parseVariants, runJitterBench, type JitterLoad, type JitterResult } from './jitter.ts'
import { benchModule, runIsolated } from './isolated.ts'
import { round, type Measure } from './measure.ts'

const GROUPS = ['dispatch', 'jitter', 'decision', 'alarms', 'mqtt'] as const
type Group = (typeof GROUPS)[number]

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '5' },
    loads: { type: 'string', default: 'idle,gc' },
    variants: { type: 'string' },
    rt: { type: 'string' },
    json: { type: 'string' },
    'dispatch-time': { type: 'string', default: '1000' },
    only: { type: 'string', default: GROUPS.join(',') },
    'decision-duration': { type: 'string', default: '5' },
    'decision-threads': { type: 'string', default: 'main,rt' },
    'micro-time': { type: 'string', default: '500' },
    'mqtt-readings': { type: 'string', default: '300000' },
    'mqtt-rounds': { type: 'string', default: '3' },
    'mqtt-duration': { type: 'string', default: '6' },
  },
})
const only = new Set(values.only.split(',').map(group => group.trim()) as Group[])
for (const group of only) if (!GROUPS.includes(group)) throw new RangeError(`--only: unknown group "${group}" (${GROUPS.join(', ')})`)
const decisionThreads = values['decision-threads'].split(',').map(thread => thread.trim()) as DecisionThread[]
for (const thread of decisionThreads) if (!['main', 'rt'].includes(thread)) throw new RangeError(`--decision-threads: unknown thread "${thread}" (main, rt)`)
const durationS = Number(values.duration)
const loads = values.loads.split(',').map(load => load.trim()) as JitterLoad[]
for (const load of loads) if (!['idle', 'gc', 'cpu'].includes(load)) throw new RangeError(`--loads: unknown load "${load}" (idle, gc, cpu)`)
for (const option of ['mqtt-readings', 'mqtt-rounds', 'mqtt-duration'] as const) {
  const value = Number(values[option])
  if (!(value > 0) || (option !== 'mqtt-duration' && !Number.isInteger(value))) throw new RangeError(`--${option}: must be a positive ${option === 'mqtt-duration' ? 'number' : 'integer'}, got "${values[option]}"`)
}
const progress = (line: string): void => void process.stderr.write(`${line}\n`)

const measures: Record<string, Measure> = {}
const sections: string[][] = []

if (only.has('dispatch')) {
  progress('dispatch: tinybench, 1 s per case…')
  const dispatch = await runDispatchBench({ timeMs: Number(values['dispatch-time']) })
  for (const r of dispatch) measures[`dispatch.${r.policy}.${r.tasks}-tasks.per-job`] = { value: round(r.perJobUs), unit: 'us', baseline: r.tasks === 1000 ? 1 : null, ratio: r.tasks === 1000 ? round(1 / r.perJobUs, 2) : null }
  sections.push(dispatchTable(dispatch))
}

const jitter: JitterResult[] = []
const rounds = Number(values.rounds)
const variants = parseVariants(values.variants)
const knobs = { realtimePriority: values.rt === undefined ? null : Number(values.rt) }
if (only.has('jitter')) {
  for (const load of loads) jitter.push(...(await runJitterBench({ durationS, rounds, load, variants, knobs, progress })))
  sections.push(jitterTable(jitter))
}
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

if (only.has('decision')) {
  const decisionS = Number(values['decision-duration'])
  const latency: DecisionLatencyResult[] = []
  for (const thread of decisionThreads) {
    progress(`decision: sample → brake write, vehicle table without latches on the sim board, runtime on the ${thread} thread, ${decisionS} s (+1 s warm-up)…`)
    const r = await runDecisionLatencyBench({ durationS: decisionS, thread, realtimePriority: knobs.realtimePriority })
    progress(`  ${thread}: reading → write p50/p99/max ${r.toWrite.p50Us.toFixed(1)}/${r.toWrite.p99Us.toFixed(1)}/${r.toWrite.maxUs.toFixed(1)} µs over ${r.toWrite.count} writes`)
    latency.push(r)
  }
  // The next three each in a fresh worker: their JIT state and heap are their own (isolated.ts).
  progress('decision: cost without the scheduler (20,000 readings steady, 20,000 writes, 200 after 10 ms asleep)…')
  const cost = await runIsolated<DecisionCostResult>(benchModule(import.meta.url, 'decision-cost'), 'runDecisionCost', [])
  progress('decision: allocation, 100,000 readings with no state change per case…')
  const alloc = await runIsolated<AllocationResult>(benchModule(import.meta.url, 'decision-alloc'), 'runDecisionAlloc', [])
  const run: DecisionRun = { latency, cost, alloc }
  Object.assign(measures, decisionMeasures(run))
  sections.push(formatDecision(run))
}

if (only.has('alarms')) {
  progress(`alarms: tinybench, ${values['micro-time']} ms per case…`)
  const micro = await runIsolated<MicroResult[]>(benchModule(import.meta.url, 'alarm-micro'), 'runAlarmMicroBench', [{ timeMs: Number(values['micro-time']) }])
  Object.assign(measures, microMeasures(micro))
  sections.push(formatMicro(micro))
}

if (only.has('mqtt')) {
  const run = await runMqttBench({
    readings: Number(values['mqtt-readings']),
    rounds: Number(values['mqtt-rounds']),
    durationS: Number(values['mqtt-duration']),
    realtimePriority: knobs.realtimePriority,
    progress,
  })
  Object.assign(measures, mqttMeasures(run))
  sections.push(formatMqtt(run))
}

process.stdout.write(`${sections.map(lines => lines.join('\n')).join('\n\n')}\n`)
if (values.json !== undefined) {
  writeFileSync(values.json, `${JSON.stringify({ machine: machine(), durationS, measures }, null, 2)}\n`)
  progress(`wrote ${values.json}`)
}

function dispatchTable(dispatchResults: readonly DispatchResult[]): string[] {
  return ['dispatch cost per job (µs)', ...dispatchResults.map(r => `  ${r.name.padEnd(22)} mean ${r.perJobUs.toFixed(3).padStart(7)}   p99 ${r.p99PerJobUs.toFixed(3).padStart(7)}`)]
}

function jitterTable(jitterResults: readonly JitterResult[]): string[] {
  return ['release lateness (µs), missed releases, CPU (% of one core: process / timing threads / their run-queue wait / other processes)', ...formatTable(jitterResults).split('\n').map(line => `  ${line}`)]
}

function machine(): Record<string, unknown> {
  return { node: process.version, platform: process.platform, arch: process.arch, cpus: cpus().length, cpu: cpus()[0]?.model, kernel: release(), loadavg: loadavg(), date: new Date().toISOString(), rounds: Number(values.rounds), rt: values.rt ?? null, only: [...only], decisionDurationS: Number(values['decision-duration']), mqttReadings: Number(values['mqtt-readings']), mqttRounds: Number(values['mqtt-rounds']), mqttDurationS: Number(values['mqtt-duration']), exposeGc: typeof gc === 'function' }
}
