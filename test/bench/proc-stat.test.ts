import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseStatCpuMs, parseStatusMemory, summarizeSamples, type ProcessSample } from '../../bench/proc-stat.ts'

// Read on the dev VM from a node process that had busy-waited 1.5 s (utime 156, stime 1 ticks).
const NODE_STAT = '16145 (node) S 16143 16143 30256 0 -1 4194304 2843 0 0 0 156 1 0 0 20 0 7 0 1840079 1015721984 11573 18446744073709551615 11988992 39846385 140731672332288 0 0 0 0 16781312 17922 0 0 0 17 1 0 0 0 0 0 90418888 90555584 272244736 140731672337062 140731672337140 140731672337140 140731672338410 0\n'

// The same process's /proc/<pid>/status, the lines around the ones read.
const NODE_STATUS = ['Name:\tnode', 'State:\tS (sleeping)', 'VmPeak:\t 1057196 kB', 'VmSize:\t  991916 kB', 'VmHWM:\t   46588 kB', 'VmRSS:\t   46588 kB', 'RssAnon:\t    8552 kB', 'RssFile:\t   38036 kB', 'Threads:\t7', ''].join('\n')

describe('parseStatCpuMs', () => {
  it('adds utime and stime, in ms at 100 ticks per second', () => {
    assert.equal(parseStatCpuMs(NODE_STAT), 1570)
  })

  it('counts fields from the last parenthesis, whatever the process name holds', () => {
    const renamed = NODE_STAT.replace('(node)', '(node (tsx) ) x)')
    assert.equal(parseStatCpuMs(renamed), 1570)
  })

  it('rejects a line that is not a stat line', () => {
    assert.throws(() => parseStatCpuMs('VmRSS: 12 kB'), SyntaxError)
  })
})

describe('parseStatusMemory', () => {
  it('reads VmRSS and VmHWM in bytes', () => {
    assert.deepEqual(parseStatusMemory(NODE_STATUS), { rssBytes: 46588 * 1024, hwmBytes: 46588 * 1024, rssAnonBytes: 8552 * 1024 })
  })

  it('rejects a status without them (a zombie has none)', () => {
    assert.throws(() => parseStatusMemory('Name:\tnode\nState:\tZ (zombie)\n'), SyntaxError)
  })
})

describe('summarizeSamples', () => {
  const MB = 1024 * 1024
  // One sample a second: 300 ms of CPU per second during start-up, then 50 ms per second.
  const samples: ProcessSample[] = [0, 1, 2, 3, 4, 5, 6].map(s => ({
    atMs: 1000 * s,
    cpuMs: s <= 3 ? 300 * s : 900 + 50 * (s - 3),
    mainThreadCpuMs: s <= 3 ? 200 * s : 600 + 20 * (s - 3),
    rssBytes: (s === 4 ? 80 : 70) * MB,
    hwmBytes: 82 * MB,
    rssAnonBytes: 30 * MB,
  }))

  it('leaves the start-up out of the CPU share and keeps the peak and the last memory figures', () => {
    const summary = summarizeSamples(samples, 3000)
    assert.equal(summary.cpuPct, 5)
    assert.equal(summary.mainThreadCpuPct, 2)
    assert.equal(summary.cpuPeakPct, 5)
    assert.equal(summary.steadySeconds, 3)
    assert.deepEqual([summary.rssMaxBytes, summary.rssFinalBytes, summary.rssAnonFinalBytes, summary.hwmBytes, summary.samples], [80 * MB, 70 * MB, 30 * MB, 82 * MB, 7])
  })

  it('counts the start-up when nothing is skipped', () => {
    const summary = summarizeSamples(samples, 0)
    assert.equal(summary.cpuPct, (1050 / 6000) * 100)
    assert.equal(summary.cpuPeakPct, 30)
  })
})
