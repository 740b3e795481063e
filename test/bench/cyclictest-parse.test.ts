import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CyclictestOutputError, cyclictestStats, parseCyclictestHistogram, toJitterAccounting } from '../../bench/cyclictest-parse.ts'
import { cyclictestArgs, mergedCyclictestStats } from '../../bench/cyclictest.ts'

// Captured on the dev VM (rt-tests 2.40, Linux 6.18, 2 vCPUs):
//   cyclictest -q -m --default-system -i 1000 -l 100 -h 100
// 100 wake-ups: 97 inside the 100 µs histogram, 3 beyond it (the worst 896 µs late).
const CAPTURED = `# Histogram
000000 000000
000001 000000
000002 000000
000003 000000
000004 000000
000005 000000
000006 000000
000007 000000
000008 000000
000009 000000
000010 000000
000011 000000
000012 000000
000013 000000
000014 000000
000015 000000
000016 000000
000017 000000
000018 000000
000019 000000
000020 000000
000021 000000
000022 000000
000023 000000
000024 000000
000025 000000
000026 000000
000027 000000
000028 000000
000029 000000
000030 000000
000031 000000
000032 000000
000033 000000
000034 000000
000035 000000
000036 000000
000037 000000
000038 000000
000039 000000
000040 000000
000041 000000
000042 000000
000043 000000
000044 000000
000045 000000
000046 000000
000047 000000
000048 000000
000049 000000
000050 000000
000051 000000
000052 000000
000053 000000
000054 000000
000055 000000
000056 000000
000057 000000
000058 000000
000059 000000
000060 000000
000061 000000
000062 000000
000063 000000
000064 000000
000065 000000
000066 000000
000067 000000
000068 000000
000069 000000
000070 000001
000071 000001
000072 000004
000073 000001
000074 000004
000075 000003
000076 000005
000077 000002
000078 000008
000079 000004
000080 000004
000081 000004
000082 000005
000083 000004
000084 000005
000085 000011
000086 000002
000087 000008
000088 000002
000089 000000
000090 000001
000091 000003
000092 000005
000093 000005
000094 000002
000095 000001
000096 000002
000097 000000
000098 000000
000099 000000
# Total: 000000097
# Min Latencies: 00070
# Avg Latencies: 00091
# Max Latencies: 00896
# Histogram Overflows: 00003
# Histogram Overflow at cycle number:
# Thread 0: 00020 00033 00086
`

describe('parseCyclictestHistogram', () => {
  it('reads the buckets, the overflows and the summary of a real run', () => {
    const h = parseCyclictestHistogram(CAPTURED)
    assert.equal(h.counts.length, 100)
    assert.equal(h.counts[70], 1)
    assert.equal(h.counts[85], 11)
    assert.equal(h.counts[89], 0)
    assert.equal(h.counts.reduce((sum, count) => sum + count, 0), 97)
    assert.deepEqual({ overflows: h.overflows, minUs: h.minUs, avgUs: h.avgUs, maxUs: h.maxUs }, { overflows: 3, minUs: 70, avgUs: 91, maxUs: 896 })
  })

  it('rejects the usage text cyclictest prints (with exit code 0) for an unknown option', () => {
    const usage = 'cyclictest V 2.40\nUsage:\ncyclictest <options>\n\n-a [CPUSET] --affinity     Run thread #N on processor #N\n'
    assert.throws(() => parseCyclictestHistogram(usage), CyclictestOutputError)
  })
})

describe('cyclictestStats', () => {
  it('ranks the overflows last, at the reported maximum', () => {
    // Cumulative counts reach 50 at 83 µs; rank 99 of 100 is an overflow.
    assert.deepEqual(cyclictestStats(parseCyclictestHistogram(CAPTURED)), { count: 100, p50Us: 83, p99Us: 896, maxUs: 896, avgUs: 91 })
  })

  it('merges rounds by adding their buckets', () => {
    const h = parseCyclictestHistogram(CAPTURED)
    const merged = mergedCyclictestStats([h, { ...h, counts: h.counts.map(() => 0), overflows: 0, avgUs: 0, maxUs: 0, minUs: 0 }])
    assert.equal(merged?.count, 100)
    assert.equal(merged?.p50Us, 83)
    assert.equal(merged?.avgUs, 91)
  })
})

describe('toJitterAccounting', () => {
  it('keeps every wake-up of a 1 ms run as a sample and drops the overflows', () => {
    const { latenessMs, expected } = toJitterAccounting(parseCyclictestHistogram(CAPTURED), 1000)
    assert.equal(latenessMs.length, 97)
    assert.equal(expected, 100)
    assert.equal(latenessMs[0], 0.07)
  })

  it('folds a wake-up later than the period into skipped releases, as the jitter bench counts them', () => {
    // At a 50 µs period every bucket (70-96 µs) skipped one release; an overflow (>= 100 µs) at least two.
    const { latenessMs, expected } = toJitterAccounting(parseCyclictestHistogram(CAPTURED), 50)
    assert.equal(latenessMs.length, 97)
    assert.equal(expected, 97 + 3 + 97 + 3 * 2)
    assert.ok(Math.abs(latenessMs[0]! - 0.02) < 1e-12)
  })
})

describe('cyclictestArgs', () => {
  it('runs SCHED_OTHER without a priority and SCHED_FIFO with one', () => {
    assert.deepEqual(cyclictestArgs(1, 5000, null), ['-q', '-m', '--default-system', '-i', '1000', '-l', '5000', '-h', '20000'])
    assert.deepEqual(cyclictestArgs(10, 500, 80).slice(-4), ['-h', '100000', '-p', '80'])
  })
})
