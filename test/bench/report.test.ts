import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { LATENESS_EDGES_US, latenessBuckets, type LatenessBuckets } from '../../bench/lateness-buckets.ts'
import { renderReport, targetSummary, type BenchFile } from '../../bench/report-markdown.ts'
import { lateness } from '../../bench/report.ts'
import { categories, latenessSvg } from '../../bench/report-svg.ts'

/** Counts per LATENESS_EDGES_US bucket from a sparse map of edge → count. */
function buckets(counts: Record<number, number>, early: number, missed: number): LatenessBuckets {
  const all = LATENESS_EDGES_US.map(edge => counts[edge] ?? 0)
  return { edgesUs: LATENESS_EDGES_US, counts: all, early, missed, expected: all.reduce((a, b) => a + b, 0) + early + missed }
}

// The worker: 10-50 µs; the naive loop: early starts, 200 µs-1 ms, and skipped releases.
const WORKER = buckets({ 10: 600, 20: 350, 50: 40, 100: 10 }, 0, 0)
const NAIVE = buckets({ 20: 20, 200: 300, 500: 500 }, 30, 150)

const FILE: BenchFile = {
  machine: { cpu: 'Test CPU', cpus: 2, arch: 'x64', kernel: '6.1.0', node: 'v20.0.0', loadavg: [0.5, 0.4, 0.3], loadavgEnd: [0.6, 0.5, 0.4], date: '2026-01-01T00:00:00.000Z', elapsedS: 420, argv: [] },
  measures: {
    'dispatch.edf.1000-tasks.per-job': { value: 0.4, unit: 'us', baseline: 1, ratio: 2.5 },
    'dispatch.edf.10-tasks.per-job': { value: 0.9, unit: 'us', baseline: null, ratio: null },
    'demo.dist.cpu': { value: 7.5, unit: '% of a core', baseline: 5, ratio: 0.67 },
    'demo.dist.rss-max': { value: 80, unit: 'MB', baseline: 90, ratio: 1.13 },
    'misses.edf.yield.fifo.deadline-misses': { value: 0, unit: 'misses of 120000 releases', baseline: 0, ratio: null },
  },
  histograms: { 'jitter.1ms.idle.edgert-worker': WORKER, 'jitter.1ms.idle.baseline': NAIVE },
  notes: { demo: ['broker: mosquitto'] },
}

describe('latenessBuckets', () => {
  it('puts each lateness in its 1-2-5 bucket, early starts apart', () => {
    const b = latenessBuckets(Float64Array.from([-0.2, 0, 0.0009, 0.015, 0.02, 0.7, 12]), 3, 10)
    assert.equal(b.early, 1)
    assert.deepEqual(b.counts.slice(0, 6), [2, 0, 0, 0, 1, 1]) // [0, 1): 0 and 0.9 µs; [10, 20): 15 µs; [20, 50): 20 µs
    assert.equal(b.counts[LATENESS_EDGES_US.indexOf(500)], 1)
    assert.equal(b.counts[LATENESS_EDGES_US.length - 1], 1) // 12 ms: >= 10 ms
    assert.deepEqual([b.missed, b.expected], [3, 10])
  })
})

describe('latenessSvg', () => {
  const series = [
    { label: 'edgert', color: '#1f77b4', buckets: WORKER },
    { label: 'naive', color: '#ff7f0e', buckets: NAIVE },
  ]

  it('draws early, the used buckets from 10 µs to 1 ms, and skipped', () => {
    assert.deepEqual(
      categories(series).map(c => c.label),
      ['early (< 0)', '10–20 µs', '20–50 µs', '50–100 µs', '100–200 µs', '200–500 µs', '500–1000 µs', 'skipped'],
    )
  })

  it('has two series, one bar per series and category, and a legend entry each', () => {
    const svg = latenessSvg('title', 'subtitle', series)
    assert.equal(svg.match(/class="bar s0"/g)?.length, 8)
    assert.equal(svg.match(/class="bar s1"/g)?.length, 8)
    assert.equal(svg.match(/class="legend"/g)?.length, 2)
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/)
    assert.match(svg, /naive, skipped: 15 % of releases/)
    assert.match(svg, /share of releases/)
  })

  it('comes from the idle 1 kHz histograms of a run, and says which are missing', () => {
    assert.ok('svg' in lateness(FILE))
    const without = lateness({ ...FILE, histograms: { 'jitter.1ms.idle.baseline': NAIVE } })
    assert.ok('missing' in without && without.missing.includes('jitter.1ms.idle.edgert-worker'))
  })
})

describe('renderReport', () => {
  const markdown = renderReport(FILE, { svg: { file: 'performance-lateness.svg' }, longRuns: [] })

  it('marks a missed target and a met one', () => {
    assert.match(markdown, /\| `demo\.dist\.cpu` \| 7\.5 \| % of a core \| 5 \| 0\.67 \| <= 5 % of a core \| \*\*no\*\* \|/)
    assert.match(markdown, /\| `demo\.dist\.rss-max` \| 80 \| MB \| 90 \| 1\.13 \| <= 90 MB \| yes \|/)
    assert.match(markdown, /\| `misses\.edf\.yield\.fifo\.deadline-misses` \| 0 \|.*\| 0 misses \| yes \|/)
  })

  it('counts the targets and names the ones not met', () => {
    assert.deepEqual(targetSummary(FILE), { met: 3, missed: ['demo.dist.cpu'], unknown: 0 })
    assert.match(markdown, /3 of 4 targets met; not met:\n\n- `demo\.dist\.cpu`: 7\.5 % of a core \(target <= 5 % of a core\)\n/)
  })

  it('describes the machine, links the histogram, keeps the notes and says nothing was measured on a Pi', () => {
    assert.match(markdown, /\| CPU \| Test CPU, 2 logical cores \(x64\) \|/)
    assert.match(markdown, /\| load average \(1\/5\/15 min\) \| 0\.5 \/ 0\.4 \/ 0\.3 at the start/)
    assert.match(markdown, /!\[[^\]]*\]\(performance-lateness\.svg\)/)
    assert.match(markdown, /- broker: mosquitto/)
    assert.match(markdown, /Nothing on this page was measured on a Pi/)
  })

  it('leaves out groups the run did not measure and lists every measure of the others', () => {
    assert.doesNotMatch(markdown, /## MQTT/)
    assert.match(markdown, /all 2 measures of dispatch/)
    assert.match(markdown, /`dispatch\.edf\.10-tasks\.per-job` \| 0\.9 \| us \| – \| – \| {2}\| {2}\|/)
  })
})
