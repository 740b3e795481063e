import type { LatenessStats } from './jitter-samples.ts'
import { ALARM_TO_SUBSCRIBER_TARGET_US, type AlarmLatencyResult } from './mqtt-alarm-latency.ts'
import type { MqttRun } from './mqtt-bench.ts'
import type { BrokerName, PublisherName, ThroughputResult } from './mqtt-throughput.ts'
import { round, type Measure } from './measure.ts'

/** The brief's target: the edgert path carries at least this share of what raw mqtt.js does. */
export const THROUGHPUT_TARGET_RATIO = 0.5

export interface ThroughputSummary {
  readonly broker: BrokerName
  /** Median over the rounds, readings/s. */
  readonly edgert: number
  readonly raw: number
  /** edgert / raw. */
  readonly ratio: number
  /** Measured readings the subscriber did not get, over every round of both publishers. */
  readonly undelivered: number
  readonly bodyBytes: number
  readonly maxInFlight: Readonly<Record<PublisherName, number>>
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

export function throughputSummaries(results: readonly ThroughputResult[]): ThroughputSummary[] {
  const brokers = [...new Set(results.map(r => r.broker))]
  return brokers.map(broker => {
    const of = (publisher: PublisherName): ThroughputResult[] => results.filter(r => r.broker === broker && r.publisher === publisher)
    const edgert = median(of('edgert').map(r => r.readingsPerS))
    const raw = median(of('raw').map(r => r.readingsPerS))
    const mine = results.filter(r => r.broker === broker)
    return {
      broker,
      edgert,
      raw,
      ratio: edgert / raw,
      undelivered: mine.reduce((sum, r) => sum + (r.readings - r.received), 0),
      bodyBytes: mine[0]?.bodyBytes ?? 0,
      maxInFlight: { edgert: Math.max(...of('edgert').map(r => r.maxInFlight)), raw: Math.max(...of('raw').map(r => r.maxInFlight)) },
    }
  })
}

const brokerKey = (r: AlarmLatencyResult): string => (r.brokerSockets === 'nodelay' ? 'mosquitto-nodelay' : 'mosquitto-default')

/** p50/p99/max (µs) and count of one distribution; the p99 against the target when `withTarget`. */
function spread(measures: Record<string, Measure>, key: string, stats: LatenessStats, withTarget: boolean): void {
  const target = ALARM_TO_SUBSCRIBER_TARGET_US
  measures[`${key}.p50`] = { value: round(stats.p50Us, 1), unit: 'us', baseline: null, ratio: null }
  measures[`${key}.p99`] = { value: round(stats.p99Us, 1), unit: 'us', baseline: withTarget ? target : null, ratio: withTarget ? round(target / stats.p99Us, 2) : null }
  measures[`${key}.max`] = { value: round(stats.maxUs, 1), unit: 'us', baseline: null, ratio: null }
  measures[`${key}.count`] = { value: stats.count, unit: 'events', baseline: null, ratio: null }
}

export function mqttMeasures(run: MqttRun): Record<string, Measure> {
  const measures: Record<string, Measure> = {}
  for (const s of throughputSummaries(run.throughput)) {
    // Higher is better here: ratio is value / baseline (edgert / raw), the share of raw mqtt.js that the edgert path reaches.
    measures[`mqtt.throughput.${s.broker}`] = { value: Math.round(s.edgert), unit: `readings/s acknowledged (edgert path; baseline raw mqtt.js; median of ${run.rounds})`, baseline: Math.round(s.raw), ratio: round(s.ratio, 2) }
    measures[`mqtt.throughput.${s.broker}.undelivered`] = { value: s.undelivered, unit: 'readings not received by the subscriber (all runs)', baseline: null, ratio: null }
  }
  for (const r of run.latency) {
    const key = `mqtt.alarm.${brokerKey(r)}`
    spread(measures, `${key}.transition-to-subscriber`, r.transitionToSubscriber, r.brokerSockets === 'nodelay')
    spread(measures, `${key}.sample-to-subscriber`, r.sampleToSubscriber, false)
    spread(measures, `${key}.wall-t-to-subscriber`, r.wallTToSubscriber, false)
    spread(measures, `${key}.on-alarm-call`, r.onAlarmCall, false)
    measures[`${key}.lost`] = { value: r.lost, unit: `of ${r.events} events`, baseline: null, ratio: null }
  }
  return measures
}

const cell = (value: number, width = 9): string => (Number.isFinite(value) ? value.toFixed(value < 10 ? 2 : 0) : '-').padStart(width)
const rate = (value: number): string => Math.round(value).toLocaleString('en').padStart(11)

function row(label: string, stats: LatenessStats, withTarget: boolean): string {
  const ratio = withTarget ? `${(ALARM_TO_SUBSCRIBER_TARGET_US / stats.p99Us).toFixed(2)}x`.padStart(11) : ''
  return `    ${label.padEnd(46)} ${String(stats.count).padStart(6)} ${cell(stats.p50Us)} ${cell(stats.p99Us)} ${cell(stats.maxUs)}${ratio}`
}

export function formatMqtt(run: MqttRun): string[] {
  const lines: string[] = []
  const summaries = throughputSummaries(run.throughput)
  if (summaries.length > 0) {
    lines.push(`telemetry throughput, loopback, QoS 1, ${summaries[0]!.maxInFlight.raw} in flight, 50 readings (~${summaries[0]!.bodyBytes} B) per message, ${run.readings.toLocaleString('en')} readings per run, median of ${run.rounds} (target: edgert >= ${THROUGHPUT_TARGET_RATIO * 100} % of raw)`)
    lines.push(`  ${'broker'.padEnd(10)} ${'edgert /s'.padStart(11)} ${'raw /s'.padStart(11)} ${'edgert/raw'.padStart(10)} ${'undelivered'.padStart(11)}   edgert in flight (max)`)
    for (const s of summaries) lines.push(`  ${s.broker.padEnd(10)} ${rate(s.edgert)} ${rate(s.raw)} ${`${(s.ratio * 100).toFixed(0)} %`.padStart(10)} ${String(s.undelivered).padStart(11)}   ${s.maxInFlight.edgert}`)
    lines.push('  edgert: openTelemetry() → DeviceTelemetry → TelemetryBatcher → Dispatcher → Outbox (temp dir on disk) → MqttLink; raw: one mqtt.js client, same bodies')
  }
  if (run.latency.length > 0) {
    if (lines.length > 0) lines.push('')
    lines.push(`alarm event at a subscriber, mosquitto on loopback (µs; target p99 <= ${ALARM_TO_SUBSCRIBER_TARGET_US} µs): vehicle table without latches, sim board, runtime on the main thread, telemetry flowing`)
    lines.push(`  ${''.padEnd(48)} ${'count'.padStart(6)} ${'p50'.padStart(9)} ${'p99'.padStart(9)} ${'max'.padStart(9)} ${'target/p99'.padStart(11)}`)
    for (const r of run.latency) {
      lines.push(`  mosquitto ${r.brokerSockets === 'nodelay' ? 'with set_tcp_nodelay true (as docs/telemetry.md asks)' : 'with its default config (Nagle on its sockets)'}:`)
      lines.push(row('alarm transition → subscriber', r.transitionToSubscriber, r.brokerSockets === 'nodelay'))
      lines.push(row('sample (lidar frame arrival) → subscriber', r.sampleToSubscriber, false))
      lines.push(row('event wall time t → subscriber wall clock', r.wallTToSubscriber, false))
      lines.push(row('DeviceTelemetry.onAlarm (append, send, state)', r.onAlarmCall, false))
      lines.push(`    ${r.events} events, ${r.lost} lost; ${r.telemetryReadings} telemetry readings received meanwhile; lidar ${r.lidar.released} released, ${r.lidar.deadlineMisses} deadline misses`)
    }
  }
  for (const line of run.skipped) lines.push(`  ${line}`)
  return lines.length > 0 ? lines : ['mqtt: nothing measured']
}
