import { spawn } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'
import { cyclictestStats, parseCyclictestHistogram, toJitterAccounting, type CyclictestHistogram } from './cyclictest-parse.ts'
import type { RawRun, RunPlan } from './jitter-runs.ts'

/**
 * cyclictest (rt-tests) as a variant of the jitter benchmark: the OS floor as the people who
 * tune PREEMPT_RT kernels measure it, a C thread in clock_nanosleep to absolute 1 ms (or 10 ms)
 * steps, run in the same rounds as the other variants. Flags, and why:
 * - `-q -h US`: only the histogram and summary at the end (cyclictest-parse.ts reads them);
 * - `-m`: mlockall, so a page fault is not counted as wake-up latency;
 * - `--default-system`: cyclictest would otherwise hold /dev/cpu_dma_latency at 0 for the run,
 *   which no other variant does (bench/jitter.ts --pm-qos does it for all of them);
 * - `-p P` only with --rt: priority 0 is SCHED_OTHER, as the edgert threads run without --rt.
 * Timer slack: a SCHED_OTHER thread's wake-ups may be deferred by its slack (50 µs by default);
 * every edgert variant sets its threads' to 1 ns, so cyclictest is started through `sh`, which
 * sets its own slack to 1 ns and then execs it: slack survives exec and is inherited by the
 * measuring thread (prctl(2) PR_SET_TIMERSLACK; proc(5) /proc/pid/timerslack_ns).
 */

export const CYCLICTEST_MISSING = 'cyclictest not installed (apt-get install rt-tests): floor from cyclictest skipped'

/** The cyclictest binary: the first on PATH, else where Debian's rt-tests puts it; undefined when absent. */
export function cyclictestPath(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(dir => dir !== ''), '/usr/bin', '/usr/sbin', '/usr/local/bin']
  return dirs.map(dir => join(dir, 'cyclictest')).find(path => {
    try {
      accessSync(path, constants.X_OK)
      return true
    } catch {
      return false
    }
  })
}

/**
 * Histogram range, 1 µs per bucket: 20 ms at 1 ms, 10 periods beyond. A later wake-up is only
 * an overflow, whose latency cyclictest does not keep (only its max), so the range is wide: a
 * p99 that falls among the overflows is reported as the max, an overestimate.
 */
function histogramUs(periodMs: number): number {
  return Math.max(20_000, Math.round(periodMs * 10_000))
}

/** The command line for `loops` wake-ups `periodMs` apart. */
export function cyclictestArgs(periodMs: number, loops: number, realtimePriority: number | null): string[] {
  const args = ['-q', '-m', '--default-system', '-i', String(Math.round(periodMs * 1000)), '-l', String(loops), '-h', String(histogramUs(periodMs))]
  return realtimePriority === null ? args : [...args, '-p', String(realtimePriority)]
}

/** Runs cyclictest once and parses its histogram; rejects with its stderr if it fails. */
export function runCyclictest(binary: string, args: readonly string[]): Promise<CyclictestHistogram> {
  const script = '{ echo 1 > /proc/self/timerslack_ns; } 2>/dev/null; exec "$0" "$@"'
  const child = spawn('/bin/sh', ['-c', script, binary, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', code => {
      if (code !== 0) {
        reject(new Error(`cyclictest ${args.join(' ')} exited with ${code}: ${stderr.trim()}`))
        return
      }
      try {
        resolve(parseCyclictestHistogram(stdout))
      } catch (error) {
        reject(new Error(`cyclictest ${args.join(' ')}: ${(error as Error).message} ${stderr.trim()}`, { cause: error }))
      }
    })
  })
}

/**
 * One round: as many wake-ups as the other variants record in theirs (the round minus its
 * warm-up; cyclictest has no JIT to warm). The process's CPU is not read (it is another
 * process: it shows in the table's "other" column); `cyclictest` keeps its own histogram.
 */
export async function measureCyclictest(binary: string, plan: RunPlan, realtimePriority: number | null): Promise<RawRun> {
  const loops = Math.max(1, Math.round((plan.durationMs - plan.warmupMs) / plan.periodMs))
  const histogram = await runCyclictest(binary, cyclictestArgs(plan.periodMs, loops, realtimePriority))
  const { latenessMs, expected } = toJitterAccounting(histogram, Math.round(plan.periodMs * 1000))
  return {
    latenessMs,
    expected,
    cpuPct: Number.NaN,
    path: [{ cpuPct: Number.NaN, waitPct: Number.NaN }],
    threadRealtime: realtimePriority === null ? 'off' : `-p ${realtimePriority}`,
    cyclictest: histogram,
  }
}

/** Merges the rounds' histograms into cyclictest's own statistics over the whole run. */
export function mergedCyclictestStats(histograms: readonly CyclictestHistogram[]): ReturnType<typeof cyclictestStats> | undefined {
  if (histograms.length === 0) return undefined
  const length = Math.max(...histograms.map(h => h.counts.length))
  const counts = Array.from({ length }, (_, us) => histograms.reduce((sum, h) => sum + (h.counts[us] ?? 0), 0))
  const samples = (h: CyclictestHistogram): number => h.counts.reduce((sum, count) => sum + count, 0) + h.overflows
  const total = histograms.reduce((sum, h) => sum + samples(h), 0)
  return cyclictestStats({
    counts,
    overflows: histograms.reduce((sum, h) => sum + h.overflows, 0),
    minUs: Math.min(...histograms.map(h => h.minUs)),
    avgUs: total === 0 ? Number.NaN : histograms.reduce((sum, h) => sum + h.avgUs * samples(h), 0) / total,
    maxUs: Math.max(...histograms.map(h => h.maxUs)),
  })
}
