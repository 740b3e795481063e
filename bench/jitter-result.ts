import type { PreciseClockStatus } from '../runtime/executive/precise-clock.ts'
import type { JitterLoad } from './jitter-load.ts'
import type { RawRun } from './jitter-runs.ts'
import { latenessStats } from './jitter-samples.ts'
import type { CyclictestStats } from './cyclictest-parse.ts'
import { mergedCyclictestStats } from './cyclictest.ts'
import { latenessBuckets, type LatenessBuckets } from './lateness-buckets.ts'
import type { JitterVariant } from './jitter-variants.ts'

/** One round of one variant: the raw run, and how busy the rest of the machine was meanwhile. */
export interface RoundRun {
  readonly raw: RawRun
  readonly wallMs: number
  /** CPU used by other processes during the round, ms (machine busy − this process). */
  readonly otherMs: number
}

/** One variant at one period and load, over all its rounds. Lateness in µs, CPU in % of one core. */
export interface JitterResult {
  readonly periodMs: number
  readonly variant: JitterVariant
  readonly load: JitterLoad
  readonly rounds: number
  /** Recorded jobs. */
  readonly count: number
  readonly p50Us: number
  readonly p99Us: number
  readonly p999Us: number
  readonly maxUs: number
  /** p99 of each round on its own: the spread says how much the machine moved meanwhile. */
  readonly p99ByRoundUs: readonly number[]
  /** Jobs that started before their release (only a timer that fires early does that). */
  readonly early: number
  /** Releases in the measured windows that never ran, of `expected`. */
  readonly missed: number
  readonly expected: number
  /** Whole-process CPU over the measured windows; includes an in-process (gc) load and V8's helper threads. */
  readonly cpuPct: number
  /** CPU of the timing path's own threads (the job's thread, and the timer thread if any). */
  readonly pathCpuPct: number
  /** Time the timing path's threads were runnable but waited for a CPU. */
  readonly pathWaitPct: number
  /**
   * CPU used by OTHER processes meanwhile (machine busy − this process, /proc/stat). A high value
   * means a busy neighbour; the cpu load's child process counts here.
   */
  readonly otherCpuPct: number
  /** baseline p99 / this p99 (same period, load and run); NaN for the baseline itself. */
  readonly p99RatioVsBaseline: number
  readonly clock?: PreciseClockStatus
  readonly schedulerSkipped?: number
  /** Worker variants: SCHED_FIFO of the thread that runs the job ('set', 'off' or why not). */
  readonly threadRealtime?: string
  /** The distribution behind the percentiles, for the report's histogram. */
  readonly buckets: LatenessBuckets
  /** The cyclictest variant: cyclictest's own figures (every wake-up, not folded at the period). */
  readonly cyclictest?: CyclictestStats
}

/** Folds the rounds of one variant into its result; `baselineP99Us` is NaN for the baseline. */
export function summarize(key: { periodMs: number; variant: JitterVariant; load: JitterLoad }, rounds: readonly RoundRun[], baselineP99Us: number): JitterResult {
  const all = concat(rounds.map(round => round.raw.latenessMs))
  const stats = latenessStats(all)
  const wallMs = sum(rounds.map(round => round.wallMs))
  const weighted = (pick: (raw: RawRun) => number): number => sum(rounds.map(round => pick(round.raw) * round.wallMs)) / wallMs
  const expected = sum(rounds.map(round => round.raw.expected))
  const last = rounds[rounds.length - 1]?.raw
  const missed = Math.max(0, expected - stats.count)
  const cyclictest = mergedCyclictestStats(rounds.flatMap(round => (round.raw.cyclictest === undefined ? [] : [round.raw.cyclictest])))
  return {
    ...key,
    rounds: rounds.length,
    ...stats,
    p99ByRoundUs: rounds.map(round => latenessStats(round.raw.latenessMs).p99Us),
    missed,
    expected,
    cpuPct: weighted(raw => raw.cpuPct),
    pathCpuPct: weighted(raw => sum(raw.path.map(use => use.cpuPct))),
    pathWaitPct: weighted(raw => sum(raw.path.map(use => use.waitPct))),
    otherCpuPct: Math.max(0, (sum(rounds.map(round => round.otherMs)) / wallMs) * 100),
    p99RatioVsBaseline: baselineP99Us / stats.p99Us,
    ...(last?.clock === undefined ? {} : { clock: last.clock }),
    ...(last?.schedulerSkipped === undefined ? {} : { schedulerSkipped: sum(rounds.map(round => round.raw.schedulerSkipped ?? 0)) }),
    ...(last?.threadRealtime === undefined ? {} : { threadRealtime: last.threadRealtime }),
    buckets: latenessBuckets(all, missed, expected),
    ...(cyclictest === undefined ? {} : { cyclictest }),
  }
}

function sum(values: readonly number[]): number {
  let total = 0
  for (const value of values) total += value
  return total
}

function concat(arrays: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(sum(arrays.map(array => array.length)))
  let offset = 0
  for (const array of arrays) {
    out.set(array, offset)
    offset += array.length
  }
  return out
}
