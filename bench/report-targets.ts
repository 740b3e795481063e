import { DEMO_CPU_TARGET_PCT, DEMO_RSS_TARGET_MB } from './demo.ts'
import { SAMPLE_TO_WRITE_TARGET_US } from './decision-latency.ts'
import { CYCLICTEST_RATIO_TARGET } from './jitter-measures.ts'
import type { Measure } from './measure.ts'
import { ALARM_TO_SUBSCRIBER_TARGET_US } from './mqtt-alarm-latency.ts'
import { THROUGHPUT_TARGET_RATIO } from './mqtt-report.ts'
import { MISSES_TARGET } from './misses.ts'

/** A target of the issues, on every measure whose key matches. */
export interface Target {
  readonly key: RegExp
  /** As the report prints it. */
  readonly text: string
  readonly met: (measure: Measure) => boolean
}

const atMost = (limit: number) => (m: Measure): boolean => m.value <= limit
const ratioAtLeast = (limit: number) => (m: Measure): boolean => m.ratio !== null && m.ratio >= limit

/**
 * The targets the report checks (issue 6 and the issues before it, as bench/run.ts's groups
 * state them). A measure matches at most one: the first.
 */
export const TARGETS: readonly Target[] = [
  { key: /^dispatch\.[a-z]+\.1000-tasks\.per-job$/, text: '<= 1 µs per job', met: atMost(1) },
  { key: /^jitter\.1ms\.[a-z]+\.edgert-(main|worker)\.lateness-p99$/, text: 'naive p99 / this >= 10', met: ratioAtLeast(10) },
  // Idle only: under the gc load the main thread is the load's own thread, so edgert-main's path CPU is the load's.
  { key: /^jitter\.\d+ms\.idle\.edgert-(main|worker)\.cpu-path$/, text: '<= 5 % of a core', met: atMost(5) },
  { key: /^jitter\.1ms\.[a-z]+\.edgert-worker\.vs-cyclictest-p99$/, text: `<= ${CYCLICTEST_RATIO_TARGET}x cyclictest`, met: atMost(CYCLICTEST_RATIO_TARGET) },
  { key: /^decision\.(main|rt)\.sample-to-write\.p99$/, text: `<= ${SAMPLE_TO_WRITE_TARGET_US} µs`, met: atMost(SAMPLE_TO_WRITE_TARGET_US) },
  { key: /^mqtt\.throughput\.[a-z]+$/, text: `edgert / raw >= ${THROUGHPUT_TARGET_RATIO}`, met: ratioAtLeast(THROUGHPUT_TARGET_RATIO) },
  { key: /^mqtt\.alarm\.mosquitto-nodelay\.transition-to-subscriber\.p99$/, text: `<= ${ALARM_TO_SUBSCRIBER_TARGET_US} µs`, met: atMost(ALARM_TO_SUBSCRIBER_TARGET_US) },
  { key: /^demo\.[a-z]+\.cpu$/, text: `<= ${DEMO_CPU_TARGET_PCT} % of a core`, met: atMost(DEMO_CPU_TARGET_PCT) },
  { key: /^demo\.[a-z]+\.rss-(max|final)$/, text: `<= ${DEMO_RSS_TARGET_MB} MB`, met: atMost(DEMO_RSS_TARGET_MB) },
  { key: /^misses\.[a-z]+\.[a-z]+\.[a-z]+\.deadline-misses$/, text: `${MISSES_TARGET} misses`, met: atMost(MISSES_TARGET) },
]

/** The target a measure is held to, and whether it is met (null: no target; 'n/a': the value is missing). */
export function checkTarget(key: string, measure: Measure): { text: string; met: boolean | 'n/a' } | null {
  const target = TARGETS.find(t => t.key.test(key))
  if (target === undefined) return null
  const value = measure.value as number | null
  if (value === null || !Number.isFinite(value)) return { text: target.text, met: 'n/a' }
  return { text: target.text, met: target.met(measure) }
}
