import { readFileSync } from 'node:fs'

/**
 * CPU time and memory of another process, from /proc (proc(5)), for the demo benchmark: the
 * figures `top` and `ps` show, read once a second without spawning anything.
 */

/** USER_HZ: 100 on every Linux architecture Node supports (sysconf(_SC_CLK_TCK)); jitter-machine.ts reads /proc/stat with it too. */
export const CLOCK_TICKS_PER_S = 100

/**
 * utime + stime of /proc/<pid>/stat (fields 14 and 15), ms: every thread of the process, the
 * user and the kernel side. The second field (comm) is in parentheses and may itself hold
 * spaces and ')' ("node (tsx) x"), so the fields are counted from the last ')'.
 */
export function parseStatCpuMs(stat: string): number {
  const close = stat.lastIndexOf(')')
  if (close < 0) throw new SyntaxError(`not a /proc/<pid>/stat line: ${stat.slice(0, 80)}`)
  // After ") ": field 3 (state) is at index 0, so field n is at index n - 3.
  const fields = stat.slice(close + 2).trim().split(/\s+/)
  const utime = Number(fields[14 - 3])
  const stime = Number(fields[15 - 3])
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new SyntaxError(`no utime/stime in /proc/<pid>/stat: ${stat.slice(0, 80)}`)
  return ((utime + stime) * 1000) / CLOCK_TICKS_PER_S
}

/**
 * Resident set now (VmRSS) and its high-water mark (VmHWM) of /proc/<pid>/status, bytes, and the
 * anonymous part of VmRSS (RssAnon: heaps, stacks; the rest is mostly the node binary's and
 * libraries' file pages, which other node processes share). RssAnon is NaN before Linux 4.5.
 */
export interface MemoryUse {
  readonly rssBytes: number
  readonly hwmBytes: number
  readonly rssAnonBytes: number
}

export function parseStatusMemory(status: string): MemoryUse {
  const kib = (name: string, optional = false): number => {
    const match = new RegExp(`^${name}:\\s*(\\d+)\\s*kB`, 'm').exec(status)
    if (match !== null) return Number(match[1]) * 1024
    if (optional) return Number.NaN
    throw new SyntaxError(`no ${name} in /proc/<pid>/status`)
  }
  return { rssBytes: kib('VmRSS'), hwmBytes: kib('VmHWM'), rssAnonBytes: kib('RssAnon', true) }
}

/** One reading of a process: when, its CPU time so far, its memory. */
export interface ProcessSample {
  /** performance.now() of the reader. */
  readonly atMs: number
  readonly cpuMs: number
  /** The main thread's share of cpuMs (/proc/<pid>/task/<pid>/stat): MQTT, telemetry, the CLI. */
  readonly mainThreadCpuMs: number
  readonly rssBytes: number
  readonly hwmBytes: number
  readonly rssAnonBytes: number
}

/** Reads /proc/<pid>/{stat,status}; undefined once the process is gone (or was never there). */
export function sampleProcess(pid: number): ProcessSample | undefined {
  try {
    const atMs = performance.now()
    const cpuMs = parseStatCpuMs(readFileSync(`/proc/${pid}/stat`, 'utf8'))
    const mainThreadCpuMs = parseStatCpuMs(readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8'))
    return { atMs, cpuMs, mainThreadCpuMs, ...parseStatusMemory(readFileSync(`/proc/${pid}/status`, 'utf8')) }
  } catch {
    return undefined
  }
}

/** What a run of samples says: CPU over the steady window, memory at its peak and at the end. */
export interface ProcessSummary {
  /** Mean CPU over the samples from `skipMs` after the first one on, % of one core. */
  readonly cpuPct: number
  /** The main thread's part of cpuPct; the rest is the rt and timer threads and V8's and libuv's helpers. */
  readonly mainThreadCpuPct: number
  /** The busiest one-second step of that window, % of one core. */
  readonly cpuPeakPct: number
  readonly steadySeconds: number
  readonly rssMaxBytes: number
  readonly rssFinalBytes: number
  /** RssAnon at the last sample. */
  readonly rssAnonFinalBytes: number
  /** The kernel's own peak (VmHWM) at the last sample: it also sees peaks between two samples. */
  readonly hwmBytes: number
  readonly samples: number
}

/** Summarises samples in time order; the first `skipMs` (start-up: module loading, JIT, boot) are left out of the CPU figures. */
export function summarizeSamples(samples: readonly ProcessSample[], skipMs: number): ProcessSummary {
  const first = samples[0]
  const last = samples[samples.length - 1]
  if (first === undefined || last === undefined) throw new RangeError('no samples')
  const steady = samples.filter(sample => sample.atMs - first.atMs >= skipMs)
  const from = steady[0]
  const pct = (a: ProcessSample, b: ProcessSample, pick = (x: ProcessSample): number => x.cpuMs): number => ((pick(b) - pick(a)) / (b.atMs - a.atMs)) * 100
  let cpuPeakPct = Number.NaN
  for (let i = 1; i < steady.length; i++) cpuPeakPct = Math.max(Number.isNaN(cpuPeakPct) ? -Infinity : cpuPeakPct, pct(steady[i - 1]!, steady[i]!))
  return {
    cpuPct: from === undefined || from === last ? Number.NaN : pct(from, last),
    mainThreadCpuPct: from === undefined || from === last ? Number.NaN : pct(from, last, x => x.mainThreadCpuMs),
    cpuPeakPct,
    steadySeconds: from === undefined ? 0 : (last.atMs - from.atMs) / 1000,
    rssMaxBytes: Math.max(...samples.map(sample => sample.rssBytes)),
    rssFinalBytes: last.rssBytes,
    rssAnonFinalBytes: last.rssAnonBytes,
    hwmBytes: last.hwmBytes,
    samples: samples.length,
  }
}
