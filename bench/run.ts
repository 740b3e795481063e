/**
 * `npm run bench [-- --only GROUPS] [--duration S] [--rounds N] [--loads idle,gc,cpu]
 * [--variants a,b] [--rt P] [--decision-duration S] [--decision-threads main,rt]
 * [--micro-time MS] [--outbox-seconds S] [--mqtt-readings N] [--mqtt-rounds N] [--mqtt-duration S]
 * [--demo-duration S] [--misses-duration S] [--misses-policies edf,priority]
 * [--misses-yield yield,turn] [--misses-rt off,P] [--json FILE]
 * [--no-report | --report] [--report-only FILE]`: every benchmark of the foundation, one after the other,
 * with progress on stderr (time since the start in front) and a table on stdout; then
 * docs/performance.md and docs/performance-lateness.svg are regenerated from the measures
 * (bench/report.ts) unless --no-report (after an --only run, only with --report: the page would
 * lose the other groups). `--report-only FILE` regenerates them from a saved --json
 * file without measuring. `--only` picks groups, a comma list of dispatch, jitter, decision,
 * alarms, micro, mqtt, demo, misses (default: all of them; ~7 min on the 2-vCPU dev VM).
 *
 * - dispatch: the scheduler's cost per job at 10, 100 and 1,000 tasks (tinybench; target <= 1 µs
 *   per job at 1,000 tasks).
 * - jitter: release lateness of a 1 kHz and a 100 Hz task under each --loads (idle; gc: a
 *   GC-heavy main thread; cpu: one core busy in another process), edgert (main thread and rt
 *   worker) next to a naive setTimeout loop, an Atomics.wait floor and, where rt-tests is
 *   installed, cyclictest at the same interval, in the same rounds (bench/cyclictest.ts; --rt P
 *   gives it -p P too), with CPU (targets: p99 at 1 kHz at least 10x better than the naive loop;
 *   the rt worker's p99 <= 2x cyclictest's; <= 5 % of a core).
 * - decision: sample → brake write latency in the lidar job of the vehicle table (without
 *   latches) on the sim board, the runtime on the main thread and on an rt-thread-style worker
 *   (target: p99 <= 200 µs); the same decision path timed without the scheduler; and its
 *   allocation per reading when nothing changes (docs/timing.md, "The decision path").
 * - alarms: tinybench micro-benchmarks of the reading stages (alarm evaluation, a filter chain,
 *   TaskPipeline.onReading, the whole decision), ns per operation.
 * - micro: the durable outbox's append (group commit and fsync each), drain and recovery scan
 *   (bench/outbox-append.ts), --outbox-seconds per rate.
 * - mqtt: telemetry readings/s through the real path (DeviceTelemetry → batcher → dispatcher →
 *   outbox on disk → MqttLink) next to raw mqtt.js publishing the same batches, through mosquitto
 *   and the embedded aedes broker (target: edgert >= 50 % of raw); and alarm transition → alarm
 *   event at a subscriber through mosquitto while telemetry flows (target: p99 <= 2 ms), with
 *   mosquitto's sockets no-delay and at its default. Skips mosquitto's measures, saying why, if
 *   it is not installed (bench/mqtt-bench.ts).
 * - demo: CPU share and RSS of the braking demo, the real CLI against mosquitto for
 *   --demo-duration s (default 60), compiled and under tsx side by side (targets: <= 5 % of a
 *   core, RSS <= 90 MB; bench/demo.ts).
 * - misses: deadline misses of a feasible U 0.70 table of busy-wait jobs on the rt thread's
 *   clock, the GC load on the main thread, for --misses-duration s (default 60; the 10-minute run
 *   is --misses-duration 600) for each of --misses-policies (default edf) × --misses-yield (the
 *   jobs' chunks end with `await ctx.yield()`, default, or with an event-loop turn first: `turn`)
 *   × --misses-rt (default `off,50`: SCHED_OTHER as `edgert run`, and SCHED_FIFO 50 for the rt
 *   and timer threads as `edgert run --rt-priority 50`; with --rt P just P). Target: 0;
 *   bench/misses.ts and misses-run.ts say why the yield style matters.
 *
 * Benchmarks report; they never fail on a number (these machines are shared and noisy).
 * With --json every measure is one key: { value, unit, baseline, ratio }; the file also holds the
 * machine, the jitter lateness histograms and notes per group (bench/report-markdown.ts BenchFile).
 */
import { writeFileSync } from 'node:fs'
import type { MicroResult } from './alarm-micro.ts'
import type { AllocationResult } from './decision-alloc.ts'
import type { DecisionCostResult } from './decision-cost.ts'
import { runDecisionLatencyBench, type DecisionLatencyResult } from './decision-latency.ts'
import { decisionMeasures, formatDecision, formatMicro, microMeasures, type DecisionRun } from './decision-report.ts'
import { runDemoBench } from './demo.ts'
import { demoMeasures, formatDemo } from './demo-report.ts'
import { runDispatchBench, type DispatchResult } from './dispatch.ts'
import { benchModule, runIsolated } from './isolated.ts'
import { formatTable, installedVariants, parseVariants, runJitterBench, type JitterResult } from './jitter.ts'
import { jitterHistograms, jitterMeasures } from './jitter-measures.ts'
import { startMachine } from './machine.ts'
import { round, type Measure } from './measure.ts'
import { formatMisses, missesMeasures, runMissesBench, type MissesRunResult } from './misses.ts'
import { runMqttBench } from './mqtt-bench.ts'
import { formatMqtt, mqttMeasures } from './mqtt-report.ts'
import { formatOutboxAppend, outboxMeasures, runOutboxAppendBench } from './outbox-append.ts'
import type { BenchFile } from './report-markdown.ts'
import { readBenchFile, writeReport } from './report.ts'
import { parseRunOptions, type RunOptions } from './run-options.ts'
import type { LatenessBuckets } from './lateness-buckets.ts'
import { cyclictestArgs } from './cyclictest.ts'

const startedMs = performance.now()
const progress = (line: string): void => {
  const s = Math.round((performance.now() - startedMs) / 1000)
  process.stderr.write(`[${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}] ${line}\n`)
}
const options = parseRunOptions(process.argv.slice(2))

if (options.reportOnly !== undefined) {
  for (const written of writeReport(readBenchFile(options.reportOnly))) progress(`wrote ${written}`)
} else {
  await measureAll(options)
}

async function measureAll(o: RunOptions): Promise<void> {
  const finishMachine = startMachine(process.argv.slice(2), { ...o, only: [...o.only] })
  const measures: Record<string, Measure> = {}
  const histograms: Record<string, LatenessBuckets> = {}
  const notes: Record<string, string[]> = {}
  const sections: string[][] = []
  const note = (group: string, line: string): void => void (notes[group] ??= []).push(line)

  if (o.only.has('dispatch')) {
    progress('dispatch: tinybench, 1 s per case…')
    const dispatch = await runDispatchBench({ timeMs: o.dispatchTimeMs })
    for (const r of dispatch) measures[`dispatch.${r.policy}.${r.tasks}-tasks.per-job`] = { value: round(r.perJobUs), unit: 'us', baseline: r.tasks === 1000 ? 1 : null, ratio: r.tasks === 1000 ? round(1 / r.perJobUs, 2) : null }
    sections.push(dispatchTable(dispatch))
  }

  if (o.only.has('jitter')) {
    const variants = installedVariants(parseVariants(o.variants), line => {
      progress(line)
      note('jitter', line)
    })
    const cyclictestLine = (periodMs: number): string => `\`cyclictest ${cyclictestArgs(periodMs, 1, o.realtimePriority).join(' ').replace('-l 1 ', '-l N ')}\``
    if (variants.includes('cyclictest')) note('jitter', `cyclictest: ${cyclictestLine(1)} and ${cyclictestLine(10)}, N the round's releases, started with timer slack 1 ns like the edgert threads; ${o.realtimePriority === null ? 'SCHED_OTHER (no --rt)' : `SCHED_FIFO ${o.realtimePriority}`}. Its rows use the same accounting as the others (a wake-up later than a period counts as skipped releases); raw-… are its own figures.`)
    const jitter: JitterResult[] = []
    const knobs = { realtimePriority: o.realtimePriority }
    for (const load of o.loads) jitter.push(...(await runJitterBench({ durationS: o.durationS, rounds: o.rounds, load, variants, knobs, progress })))
    Object.assign(measures, jitterMeasures(jitter))
    Object.assign(histograms, jitterHistograms(jitter))
    sections.push(['release lateness (µs), missed releases, CPU (% of one core: process / timing threads / their run-queue wait / other processes)', ...formatTable(jitter).split('\n').map(line => `  ${line}`)])
  }

  if (o.only.has('decision')) {
    const latency: DecisionLatencyResult[] = []
    for (const thread of o.decisionThreads) {
      progress(`decision: sample → brake write, vehicle table without latches on the sim board, runtime on the ${thread} thread, ${o.decisionDurationS} s (+1 s warm-up)…`)
      const r = await runDecisionLatencyBench({ durationS: o.decisionDurationS, thread, realtimePriority: o.realtimePriority })
      progress(`  ${thread}: reading → write p50/p99/max ${r.toWrite.p50Us.toFixed(1)}/${r.toWrite.p99Us.toFixed(1)}/${r.toWrite.maxUs.toFixed(1)} µs over ${r.toWrite.count} writes`)
      latency.push(r)
    }
    // The next two each in a fresh worker: their JIT state and heap are their own (isolated.ts).
    progress('decision: cost without the scheduler (20,000 readings steady, 20,000 writes, 200 after 10 ms asleep)…')
    const cost = await runIsolated<DecisionCostResult>(benchModule(import.meta.url, 'decision-cost'), 'runDecisionCost', [])
    progress('decision: allocation, 100,000 readings with no state change per case…')
    const alloc = await runIsolated<AllocationResult>(benchModule(import.meta.url, 'decision-alloc'), 'runDecisionAlloc', [])
    const run: DecisionRun = { latency, cost, alloc }
    Object.assign(measures, decisionMeasures(run))
    sections.push(formatDecision(run))
  }

  if (o.only.has('alarms')) {
    progress(`alarms: tinybench, ${o.microTimeMs} ms per case…`)
    const micro = await runIsolated<MicroResult[]>(benchModule(import.meta.url, 'alarm-micro'), 'runAlarmMicroBench', [{ timeMs: o.microTimeMs }])
    Object.assign(measures, microMeasures(micro))
    sections.push(formatMicro(micro))
  }

  if (o.only.has('micro')) {
    progress(`micro: outbox append / drain / open in a temp folder, ${o.outboxSeconds} s per rate…`)
    const outbox = await runIsolated<Awaited<ReturnType<typeof runOutboxAppendBench>>>(benchModule(import.meta.url, 'outbox-append'), 'runOutboxAppendBench', [{ seconds: o.outboxSeconds }])
    Object.assign(measures, outboxMeasures(outbox))
    note('micro', `outbox in a temp folder under ${outbox.dir}; fsync on this VM's virtual disk is far faster than on an SD card`)
    sections.push(formatOutboxAppend(outbox))
  }

  if (o.only.has('mqtt')) {
    const run = await runMqttBench({ readings: o.mqttReadings, rounds: o.mqttRounds, durationS: o.mqttDurationS, realtimePriority: o.realtimePriority, progress })
    Object.assign(measures, mqttMeasures(run))
    for (const line of run.skipped) note('mqtt', line)
    sections.push(formatMqtt(run))
  }

  if (o.only.has('demo')) {
    const run = await runDemoBench({ durationS: o.demoDurationS, progress })
    Object.assign(measures, demoMeasures(run))
    for (const line of run.notes) note('demo', line)
    for (const r of run.results) note('demo', `${r.variant}: \`${r.command}\``)
    sections.push(formatDemo(run))
  }

  if (o.only.has('misses')) {
    const results: MissesRunResult[] = []
    for (const policy of o.missesPolicies) {
      for (const yieldStyle of o.missesYield) {
        for (const realtimePriority of o.missesRealtime) results.push(await runMissesBench({ policy, yieldStyle, durationS: o.missesDurationS, realtimePriority, progress }))
      }
    }
    Object.assign(measures, missesMeasures(results))
    sections.push(formatMisses(results))
  }

  process.stdout.write(`${sections.map(lines => lines.join('\n')).join('\n\n')}\n`)
  const file: BenchFile = { machine: { ...finishMachine() }, measures, histograms, notes }
  if (o.json !== undefined) {
    writeFileSync(o.json, `${JSON.stringify(file, null, 2)}\n`)
    progress(`wrote ${o.json}`)
  }
  if (o.report) for (const written of writeReport(file)) progress(`wrote ${written}`)
  else progress('docs/performance.md not regenerated (--no-report, or an --only run without --report)')
}

function dispatchTable(dispatchResults: readonly DispatchResult[]): string[] {
  return ['dispatch cost per job (µs)', ...dispatchResults.map(r => `  ${r.name.padEnd(22)} mean ${r.perJobUs.toFixed(3).padStart(7)}   p99 ${r.p99PerJobUs.toFixed(3).padStart(7)}`)]
}
