/**
 * Telemetry throughput to a broker on loopback, in readings per second until every reading has
 * its PUBACK, for two publishers fed the same synthetic 100 Hz lidar readings (mqtt-readings.ts):
 *
 * - edgert: the real path of `edgert run`, built by openTelemetry() (runtime/cli/telemetry-setup.ts)
 *   with the broker's URL and a temporary outbox on disk: DeviceTelemetry.onReadings →
 *   TelemetryBatcher (50 per batch) → Dispatcher → Outbox (append, group fsync, ack records) →
 *   MqttLink → broker. Readings are handed over 500 at a time (ten batches, what the tap hands
 *   over every 50 ms at 10 kHz) whenever fewer than HIGH_WATER messages wait in the outbox, so the
 *   dispatcher's window is always full and the outbox does not grow without bound.
 * - raw: one mqtt.js client publishing the same batches itself: same topic, the same JSON body
 *   (telemetryBatchMessage over the readings TelemetryBatcher would have made), QoS 1, the same
 *   window of PUBACKs awaited at once, TCP no-delay as the link sets it; each PUBACK releases the
 *   next publish. No outbox, no dispatcher, no link.
 *
 * Each run first sends WARMUP readings (JIT, the broker's topic tree, TCP windows), waits for
 * them, then measures. A subscriber on its own thread (mqtt-watch.ts) counts what arrives.
 */
import { randomUUID } from 'node:crypto'
import { connectAsync, type MqttClient } from 'mqtt'
import { DEFAULT_OUTBOX_MAX_BYTES } from '../runtime/cli/run-command.ts'
import { openTelemetry, type RunningTelemetry } from '../runtime/cli/telemetry-setup.ts'
import type { CommandTarget } from '../runtime/telemetry/device-telemetry.ts'
import { telemetryBatchMessage, type DeviceIdentity } from '../runtime/telemetry/messages.ts'
import { Topics } from '../runtime/telemetry/topics.ts'
import { BENCH_TASK, batchReadings, READINGS_PER_BATCH, tapEntries } from './mqtt-readings.ts'
import type { MqttWatch } from './mqtt-watch.ts'

export type BrokerName = 'mosquitto' | 'aedes'
export type PublisherName = 'edgert' | 'raw'

/** The topic prefix of every bench device (the subscriber watches `<prefix>/+/…`). */
export const BENCH_PREFIX = 'edgert-bench'

/**
 * QoS 1 publishes awaiting their PUBACK at once on the edgert path: the Dispatcher's default
 * window (runtime/telemetry/dispatcher.ts DEFAULT_WINDOW, not exported), the smaller of it and
 * the link's maxInFlight (32). The raw publisher uses the same; the run reports the in-flight
 * maximum it saw on the edgert path, so a change of the default shows.
 */
export const PUBLISH_WINDOW = 16

/** Readings handed to DeviceTelemetry.onReadings at a time (ten batches). */
const CHUNK_READINGS = 10 * READINGS_PER_BATCH
/** The producer hands over more readings only while fewer messages than this wait in the outbox. */
const HIGH_WATER = 4 * PUBLISH_WINDOW
const CONNECT_TIMEOUT_MS = 5_000
const DELIVERY_TIMEOUT_MS = 5_000

export interface ThroughputOptions {
  readonly url: string
  readonly broker: BrokerName
  /** Readings measured (rounded up to whole handovers of 500). */
  readonly readings: number
  readonly warmupReadings: number
  readonly round: number
  readonly watch: MqttWatch
}

export interface ThroughputResult {
  readonly broker: BrokerName
  readonly publisher: PublisherName
  readonly round: number
  /** Readings measured, all acknowledged by the broker. */
  readonly readings: number
  readonly seconds: number
  readonly readingsPerS: number
  readonly messagesPerS: number
  /** Bytes of one batch's JSON body (the measured ones vary by a few bytes). */
  readonly bodyBytes: number
  /** Readings of the measured part the subscriber received (== readings when nothing is lost). */
  readonly received: number
  /** The most publishes seen awaiting a PUBACK at once. */
  readonly maxInFlight: number
  /** Anything the edgert path said on its notice channel (outbox, link), for the report. */
  readonly notices: readonly string[]
}

/** What DeviceTelemetry.start() needs of a runtime: nothing runs here, so no alarms, no outputs, no tasks. */
const IDLE_TARGET: CommandTarget = {
  command: () => Promise.resolve({ ok: false, reason: 'no runtime in the throughput benchmark' }),
  metrics: () => Promise.resolve({ metrics: [], readings: {}, alarms: [], outputs: {} }),
}

const roundUp = (value: number, step: number): number => Math.max(step, Math.ceil(value / step) * step)

export async function edgertThroughput(options: ThroughputOptions): Promise<ThroughputResult> {
  const readings = roundUp(options.readings, CHUNK_READINGS)
  const warmup = roundUp(options.warmupReadings, CHUNK_READINGS)
  const deviceId = `edgert-${options.broker}-r${options.round}`
  const notices: string[] = []
  const running = await openTelemetry(
    { broker: options.url, deviceId, topicPrefix: BENCH_PREFIX, outboxDir: undefined, outboxMaxBytes: DEFAULT_OUTBOX_MAX_BYTES },
    message => notices.push(message),
    reason => notices.push(`unstorable: ${reason}`),
  )
  if (running === undefined) throw new Error('openTelemetry returned nothing for a broker URL')
  try {
    await waitUntil(() => running.telemetry.stats.connected, CONNECT_TIMEOUT_MS, `the edgert link did not connect to ${options.url}`)
    await running.start(IDLE_TARGET)
    await feed(running, 0, warmup)
    await options.watch.waitForReadings(deviceId, warmup, DELIVERY_TIMEOUT_MS)
    const fed = await feed(running, warmup, readings)
    const report = await options.watch.waitForReadings(deviceId, warmup + readings, DELIVERY_TIMEOUT_MS)
    const bodyBytes = telemetryBatchMessage({ deviceId, bootId: randomUUID() }, BENCH_TASK, batchReadings(warmup / READINGS_PER_BATCH)).length
    return result(options, 'edgert', readings, fed.seconds, bodyBytes, (report.readings[deviceId] ?? 0) - warmup, fed.maxInFlight, notices)
  } finally {
    await running.stop()
  }
}

export async function rawThroughput(options: ThroughputOptions): Promise<ThroughputResult> {
  const readings = roundUp(options.readings, CHUNK_READINGS)
  const warmup = roundUp(options.warmupReadings, CHUNK_READINGS)
  // Same length as the edgert device's id, so the bodies are the same size.
  const deviceId = `rawpub-${options.broker}-r${options.round}`
  const identity: DeviceIdentity = { deviceId, bootId: randomUUID() }
  const topic = new Topics(BENCH_PREFIX, deviceId).telemetry(BENCH_TASK)
  // The link's fixed client options (runtime/mqtt/client-options.ts), mqtt.js's own reconnect and queues off.
  const client = await connectAsync(options.url, { clientId: deviceId, protocolVersion: 4, clean: true, keepalive: 10, connectTimeout: CONNECT_TIMEOUT_MS, reconnectPeriod: 0, queueQoSZero: false, resubscribe: false })
  ;(client.stream as { setNoDelay?: (noDelay: boolean) => unknown }).setNoDelay?.(true)
  client.on('error', () => undefined)
  try {
    await publishBatches(client, topic, identity, 0, warmup / READINGS_PER_BATCH)
    await options.watch.waitForReadings(deviceId, warmup, DELIVERY_TIMEOUT_MS)
    const startMs = performance.now()
    const maxInFlight = await publishBatches(client, topic, identity, warmup / READINGS_PER_BATCH, readings / READINGS_PER_BATCH)
    const seconds = (performance.now() - startMs) / 1000
    const report = await options.watch.waitForReadings(deviceId, warmup + readings, DELIVERY_TIMEOUT_MS)
    const bodyBytes = telemetryBatchMessage(identity, BENCH_TASK, batchReadings(warmup / READINGS_PER_BATCH)).length
    return result(options, 'raw', readings, seconds, bodyBytes, (report.readings[deviceId] ?? 0) - warmup, maxInFlight, [])
  } finally {
    await Promise.race([client.endAsync(), new Promise(resolve => setTimeout(resolve, 1_000))])
    await client.endAsync(true).catch(() => undefined)
  }
}

function result(options: ThroughputOptions, publisher: PublisherName, readings: number, seconds: number, bodyBytes: number, received: number, maxInFlight: number, notices: readonly string[]): ThroughputResult {
  const readingsPerS = readings / seconds
  return { broker: options.broker, publisher, round: options.round, readings, seconds, readingsPerS, messagesPerS: readingsPerS / READINGS_PER_BATCH, bodyBytes, received, maxInFlight, notices }
}

/**
 * Hands readings `from` … `from + count - 1` to the device telemetry as fast as the outbox drains,
 * and resolves once all of them have left it (PUBACK, then ack). Polled on every event-loop turn
 * (setImmediate), so the end is seen within one turn of the last ack.
 */
async function feed(running: RunningTelemetry, from: number, count: number): Promise<{ seconds: number; maxInFlight: number }> {
  const { telemetry } = running
  const startMs = performance.now()
  let produced = 0
  let maxInFlight = 0
  for (;;) {
    const { outbox, dispatcher } = telemetry.stats
    if (dispatcher.inFlight > maxInFlight) maxInFlight = dispatcher.inFlight
    if (produced < count && outbox.depth < HIGH_WATER) {
      telemetry.onReadings(tapEntries(from + produced, CHUNK_READINGS))
      produced += CHUNK_READINGS
    } else if (produced >= count && outbox.depth === 0) {
      return { seconds: (performance.now() - startMs) / 1000, maxInFlight }
    }
    await new Promise(resolve => setImmediate(resolve))
  }
}

/** Publishes batches `first` … `first + count - 1` at QoS 1 with PUBLISH_WINDOW in flight; resolves on the last PUBACK with the in-flight maximum. */
function publishBatches(client: MqttClient, topic: string, identity: DeviceIdentity, first: number, count: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let next = 0
    let acked = 0
    let inFlight = 0
    let maxInFlight = 0
    const publishNext = (): void => {
      const body = telemetryBatchMessage(identity, BENCH_TASK, batchReadings(first + next++))
      inFlight++
      if (inFlight > maxInFlight) maxInFlight = inFlight
      client.publish(topic, body, { qos: 1 }, error => {
        inFlight--
        if (error !== undefined && error !== null) return reject(error)
        if (++acked === count) return resolve(maxInFlight)
        if (next < count) publishNext()
      })
    }
    for (let i = 0; i < Math.min(PUBLISH_WINDOW, count); i++) publishNext()
  })
}

/** Polls `condition` every 5 ms; rejects with `message` after `timeoutMs`. */
export async function waitUntil(condition: () => boolean, timeoutMs: number, message: string): Promise<void> {
  const untilMs = performance.now() + timeoutMs
  while (!condition()) {
    if (performance.now() >= untilMs) throw new Error(message)
    await new Promise(resolve => setTimeout(resolve, 5))
  }
}
