/**
 * Parses what `cyclictest -q -h US` prints on stdout (rt-tests; checked against V 2.40): one
 * line per histogram bucket, `NNNNNN CCCCCC` (latency in µs, then one count per thread), then a
 * summary of `# Name: value…` lines, one value per thread:
 *
 *   # Histogram
 *   000000 000000
 *   000035 000001
 *   …
 *   # Total: 000001998
 *   # Min Latencies: 00035
 *   # Avg Latencies: 00109
 *   # Max Latencies: 03696
 *   # Histogram Overflows: 00002
 *
 * `Total` counts the samples inside the histogram only; `Histogram Overflows` the ones at or
 * above its last bucket, whose latency is only known through `Max Latencies`. An unknown option
 * makes cyclictest print its usage on stdout and exit 0, so output without a histogram is an
 * error here, not an empty run. Only the first thread's column is read (the bench runs one).
 */
export interface CyclictestHistogram {
  /** counts[us] = wake-ups that were `us` µs late (1 µs buckets from 0). */
  readonly counts: readonly number[]
  /** Wake-ups beyond the last bucket. */
  readonly overflows: number
  readonly minUs: number
  readonly avgUs: number
  readonly maxUs: number
}

export class CyclictestOutputError extends Error {
  override readonly name = 'CyclictestOutputError'
}

export function parseCyclictestHistogram(stdout: string): CyclictestHistogram {
  const counts: number[] = []
  const summary = new Map<string, number>()
  let sawHistogram = false
  for (const raw of stdout.split('\n')) {
    const line = raw.trim()
    if (line === '# Histogram') sawHistogram = true
    const bucket = /^(\d+)\s+(\d+)/.exec(line)
    if (bucket !== null && sawHistogram) {
      counts[Number(bucket[1])] = Number(bucket[2])
      continue
    }
    const field = /^#\s*([A-Za-z ]+):\s*(\d+)/.exec(line)
    if (field !== null) summary.set(field[1]!.trim(), Number(field[2]))
  }
  if (!sawHistogram || counts.length === 0) throw new CyclictestOutputError(`no histogram in cyclictest's output: ${stdout.slice(0, 200).trim()}`)
  const need = (name: string): number => {
    const value = summary.get(name)
    if (value === undefined) throw new CyclictestOutputError(`cyclictest's output has no "# ${name}:" line`)
    return value
  }
  for (let us = 0; us < counts.length; us++) counts[us] ??= 0
  return { counts, overflows: summary.get('Histogram Overflows') ?? 0, minUs: need('Min Latencies'), avgUs: need('Avg Latencies'), maxUs: need('Max Latencies') }
}

/** cyclictest's own view: nearest-rank percentiles over every wake-up, overflows ranked last at its max. */
export interface CyclictestStats {
  readonly count: number
  readonly p50Us: number
  readonly p99Us: number
  readonly maxUs: number
  readonly avgUs: number
}

export function cyclictestStats(histogram: CyclictestHistogram): CyclictestStats {
  const inside = histogram.counts.reduce((sum, count) => sum + count, 0)
  const count = inside + histogram.overflows
  const at = (p: number): number => {
    if (count === 0) return Number.NaN
    const rank = Math.max(1, Math.ceil(p * count))
    let seen = 0
    for (let us = 0; us < histogram.counts.length; us++) {
      seen += histogram.counts[us]!
      if (seen >= rank) return us
    }
    return histogram.maxUs
  }
  return { count, p50Us: at(0.5), p99Us: at(0.99), maxUs: histogram.maxUs, avgUs: histogram.avgUs }
}

/**
 * The same wake-ups in the jitter benchmark's own accounting (jitter-samples.ts, jitter-floor.ts):
 * a wake-up L µs late at period P skipped floor(L / P) releases, and is recorded with lateness
 * L mod P against the release it ran for (cyclictest skips the same grid points: it moves its
 * next wake-up past now). An overflow's lateness is unknown: it is not recorded, and skipped at
 * least floor(last bucket / P) releases. Returns the recorded lateness values in ms and the
 * releases in the run (`expected`: recorded + overflows + skipped), so expected − recorded is
 * what the jitter table calls missed.
 */
export function toJitterAccounting(histogram: CyclictestHistogram, periodUs: number): { latenessMs: Float64Array; expected: number } {
  const recorded = histogram.counts.reduce((sum, count) => sum + count, 0)
  const latenessMs = new Float64Array(recorded)
  let skipped = histogram.overflows * Math.floor(histogram.counts.length / periodUs)
  let next = 0
  for (let us = 0; us < histogram.counts.length; us++) {
    const count = histogram.counts[us]!
    if (count === 0) continue
    latenessMs.fill((us % periodUs) / 1000, next, next + count)
    next += count
    skipped += count * Math.floor(us / periodUs)
  }
  return { latenessMs, expected: recorded + histogram.overflows + skipped }
}
