import type { LatenessBuckets } from './lateness-buckets.ts'
import type { Machine } from './machine.ts'
import type { Measure } from './measure.ts'
import { PI_EXPECTATIONS, REPORT_HOW_TO } from './report-text.ts'
import { checkTarget } from './report-targets.ts'

/** What `npm run bench -- --json FILE` writes, and what the report is made from. */
export interface BenchFile {
  readonly machine: Partial<Machine> & Readonly<Record<string, unknown>>
  readonly measures: Readonly<Record<string, Measure>>
  /** Lateness distributions by jitter measure key (jitter-measures.ts). */
  readonly histograms?: Readonly<Record<string, LatenessBuckets>>
  /** Per group: what the numbers alone do not say (which broker, which build…). */
  readonly notes?: Readonly<Record<string, readonly string[]>>
}

/** The groups in report order, with what each measures. */
export const GROUPS: readonly (readonly [group: string, title: string, what: string])[] = [
  ['dispatch', 'Dispatch cost', "The scheduler's cost per job (release, ready queue, dispatch, completion, metrics) at 10, 100 and 1,000 tasks, on a hand-stepped clock (tinybench)."],
  ['jitter', 'Release lateness (jitter)', 'How late a 1 kHz and a 100 Hz job start, idle, with a GC-heavy main thread, and with one core busy in another process: edgert on the main thread and on the rt worker, next to a naive setTimeout loop, an Atomics.wait floor and cyclictest, in the same rounds. Lateness above a period is a skipped release (missed), not a sample.'],
  ['decision', 'Sample → brake write', 'Reading → brake write in the lidar job of the vehicle table (latches off) on the sim board, runtime on the main thread and on the rt thread; the same decision without the scheduler; allocation per reading.'],
  ['alarms', 'Reading stages', 'Alarm evaluation, a filter chain, TaskPipeline.onReading and the whole decision, ns per operation (tinybench, each in its own worker).'],
  ['micro', 'Outbox', 'Append, drain and recovery scan of the durable outbox on this disk (runtime/outbox).'],
  ['mqtt', 'MQTT', 'Telemetry readings/s through the whole edgert path against raw mqtt.js, through mosquitto and aedes; alarm transition → subscriber latency through mosquitto with telemetry flowing.'],
  ['demo', 'Braking demo: CPU and memory', 'The real CLI running the braking demo against a broker, sampled from /proc once a second: CPU over the steady window (the first 3 s of start-up left out), resident memory. "dist" is the compiled CLI (what a Pi runs), "tsx" the sources under tsx. On the sim board the process also runs what a device with real sensors does not: the scenario\'s world model (stepped every 5 ms) and the chips\' emulators. RSS counts the node binary\'s file pages too (shared between node processes); rss-anon-final is the process\'s own heaps and stacks.'],
  ['misses', 'Deadline misses at U = 0.70 with GC load', "bench/misses-table.json (1/2/5/10/20 ms, busy-wait jobs, U 0.70 of execution, feasible under edf and priority) on the real clock in a worker set up as the rt thread, the GC load on the main thread; keys are `misses.POLICY.STYLE.other|fifo`. `other`: SCHED_OTHER, as `edgert run`; `fifo`: SCHED_FIFO 50 for the rt and timer threads, as `edgert run --rt-priority 50`. `yield`: the jobs' chunks end with `await ctx.yield()`, as docs/scheduling.md says; `turn` (`--misses-yield turn`): with one event-loop turn before it. They differ because the scheduler releases jobs only when its loop runs, which needs the event loop: a job that computes and yields never lets it, so a release that falls due waits for the whole job, not one chunk (bench/misses-run.ts). Skipped releases are lost jobs too: a release woken for after the next one was due is skipped, not run late."],
]

const cell = (text: string): string => text.replace(/\|/g, '\\|')
const num = (value: number | null | undefined): string => (value === null || value === undefined || !Number.isFinite(value) ? '–' : String(value))

function machineLines(machine: BenchFile['machine']): string[] {
  const load = (values: readonly number[] | undefined): string => (values === undefined ? '?' : values.join(' / '))
  return [
    `| | |`,
    `|---|---|`,
    `| CPU | ${cell(String(machine.cpu ?? '?'))}, ${machine.cpus ?? '?'} logical cores (${machine.arch ?? '?'}) |`,
    `| kernel | Linux ${machine.kernel ?? '?'} |`,
    `| node | ${machine.node ?? '?'}${machine.exposeGc === true ? ' (--expose-gc)' : ''} |`,
    `| load average (1/5/15 min) | ${load(machine.loadavg)} at the start, ${load(machine.loadavgEnd)} at the end |`,
    `| date | ${machine.date ?? '?'}${machine.elapsedS === undefined ? '' : `, ${Math.round(machine.elapsedS / 6) / 10} min`} |`,
    `| command | \`npm run bench${machine.argv === undefined || machine.argv.length === 0 ? '' : ` -- ${machine.argv.join(' ')}`}\` |`,
  ]
}

function row(key: string, m: Measure): string {
  const target = checkTarget(key, m)
  const met = target === null ? '' : target.met === 'n/a' ? 'n/a' : target.met ? 'yes' : '**no**'
  return `| \`${key}\` | ${num(m.value)} | ${cell(m.unit)} | ${num(m.baseline)} | ${num(m.ratio)} | ${cell(target?.text ?? '')} | ${met} |`
}

const HEADER = ['| measure | value | unit | baseline | ratio | target | met? |', '|---|--:|---|--:|--:|---|---|']

/** One group: its measures with a target first, then every measure in a collapsed table. */
function groupSection(file: BenchFile, group: string, title: string, what: string): string[] {
  const keys = Object.keys(file.measures).filter(key => key.split('.')[0] === group)
  const notes = file.notes?.[group] ?? []
  if (keys.length === 0 && notes.length === 0) return []
  const targeted = keys.filter(key => checkTarget(key, file.measures[key]!) !== null)
  const lines = [`## ${title}`, '', what, '']
  if (targeted.length > 0) lines.push(...HEADER, ...targeted.map(key => row(key, file.measures[key]!)), '')
  for (const note of notes) lines.push(`- ${note}`)
  if (notes.length > 0) lines.push('')
  if (keys.length > 0) lines.push(`<details><summary>all ${keys.length} measures of ${group}</summary>`, '', ...HEADER, ...keys.map(key => row(key, file.measures[key]!)), '', '</details>', '')
  return lines
}

/** Targets met / not met over the whole file. */
export function targetSummary(file: BenchFile): { met: number; missed: string[]; unknown: number } {
  let met = 0
  let unknown = 0
  const missed: string[] = []
  for (const [key, measure] of Object.entries(file.measures)) {
    const target = checkTarget(key, measure)
    if (target === null) continue
    if (target.met === 'n/a') unknown++
    else if (target.met) met++
    else missed.push(key)
  }
  return { met, missed, unknown }
}

export interface ReportOptions {
  /** The histogram's file name next to the report, or why there is none. */
  readonly svg: { readonly file: string } | { readonly missing: string }
  /** Runs recorded separately (bench/results/*.json), by file name. */
  readonly longRuns: readonly { readonly name: string; readonly file: BenchFile }[]
}

/** docs/performance.md from one run's --json file. */
export function renderReport(file: BenchFile, options: ReportOptions): string {
  const summary = targetSummary(file)
  const lines = [
    '# Performance',
    '',
    '<!-- Generated by `npm run bench` (bench/run.ts, bench/report-markdown.ts) from one run; do not edit by hand: run it again. -->',
    '',
    `Generated from one run of \`npm run bench\`: ${summary.met} of ${summary.met + summary.missed.length} targets met${summary.unknown > 0 ? ` (${summary.unknown} not measured)` : ''}${summary.missed.length > 0 ? '; not met:' : '.'}`,
    '',
    ...summary.missed.map(key => {
      const m = file.measures[key]!
      return `- \`${key}\`: ${num(m.value)} ${cell(m.unit)} (target ${checkTarget(key, m)?.text ?? '?'})`
    }),
    ...(summary.missed.length > 0 ? [''] : []),
    'Benchmarks report, they never fail: the machine is shared, and its neighbours show in the "other" and "run-queue-wait" measures of the jitter group.',
    '',
    '## Machine',
    '',
    ...machineLines(file.machine),
    '',
  ]
  if ('file' in options.svg) lines.push(`![Release lateness at 1 kHz, idle: edgert rt worker against a naive setTimeout loop](${options.svg.file})`, '')
  else lines.push(`(No lateness histogram: ${options.svg.missing}.)`, '')
  for (const [group, title, what] of GROUPS) lines.push(...groupSection(file, group, title, what))
  for (const run of options.longRuns) {
    lines.push(`## Recorded separately: ${run.name}`, '', ...machineLines(run.file.machine), '')
    for (const [group, title, what] of GROUPS) lines.push(...groupSection(run.file, group, title, what).map(line => line.replace(/^## /, '### ')))
  }
  lines.push(...PI_EXPECTATIONS, '', ...REPORT_HOW_TO, '')
  return lines.join('\n')
}
