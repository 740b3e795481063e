/**
 * The `mqtt` group of bench/run.ts: telemetry throughput (mqtt-throughput.ts) through mosquitto
 * and through the embedded aedes broker, edgert next to raw mqtt.js in the same run, and alarm
 * transition → subscriber latency (mqtt-alarm-latency.ts) through mosquitto, configured as
 * docs/telemetry.md asks (`set_tcp_nodelay true`) and with its default (Nagle on its sockets).
 * Each broker is our own: mosquitto from test/helpers/mosquitto.ts (its own port, config and
 * temp dir), aedes from runtime/mqtt/embedded-broker.ts on a free port in this process, as
 * `edgert run` starts it. Without mosquitto its measures are skipped and the reason given.
 */
import { startEmbeddedBroker } from '../runtime/mqtt/embedded-broker.ts'
import { mosquittoAvailable, startMosquitto } from '../test/helpers/mosquitto.ts'
import { measureAlarmLatency, type AlarmLatencyResult, type BrokerNoDelay } from './mqtt-alarm-latency.ts'
import { BENCH_PREFIX, edgertThroughput, rawThroughput, type BrokerName, type ThroughputResult } from './mqtt-throughput.ts'
import { MqttWatch } from './mqtt-watch.ts'

export interface MqttBenchOptions {
  /** Readings per throughput run. */
  readonly readings: number
  /** Throughput runs per publisher and broker (edgert and raw alternate; the report takes the median). */
  readonly rounds: number
  /** Measured seconds of each alarm-latency run. */
  readonly durationS: number
  readonly realtimePriority: number | null
  readonly progress: (line: string) => void
}

export interface MqttRun {
  readonly readings: number
  readonly rounds: number
  readonly throughput: readonly ThroughputResult[]
  readonly latency: readonly AlarmLatencyResult[]
  /** Measures not taken, with the reason. */
  readonly skipped: readonly string[]
}

const WARMUP_READINGS = 20_000

interface Broker {
  readonly url: string
  close(): Promise<void>
}

export async function runMqttBench(options: MqttBenchOptions): Promise<MqttRun> {
  const { progress } = options
  const throughput: ThroughputResult[] = []
  const latency: AlarmLatencyResult[] = []
  const skipped: string[] = []
  const haveMosquitto = mosquittoAvailable()
  if (!haveMosquitto) {
    const why = 'mosquitto not found on PATH or at /usr/sbin/mosquitto (apt-get install mosquitto)'
    skipped.push(`telemetry throughput through mosquitto: skipped, ${why}`, `alarm → subscriber latency through mosquitto: skipped, ${why}`)
    for (const line of skipped) progress(`mqtt: ${line}`)
  }
  const brokers: BrokerName[] = haveMosquitto ? ['mosquitto', 'aedes'] : ['aedes']
  for (const broker of brokers) {
    progress(`mqtt: throughput through ${broker} on loopback, ${options.readings.toLocaleString('en')} readings per run, ${options.rounds} round(s) of edgert path and raw mqtt.js…`)
    throughput.push(...(await withBroker(broker === 'mosquitto' ? mosquitto() : aedes(), watch => throughputRounds(broker, watch, options))))
  }
  if (haveMosquitto) {
    for (const sockets of ['nodelay', 'nagle'] as const) {
      progress(`mqtt: alarm transition → subscriber through mosquitto (${sockets === 'nodelay' ? 'set_tcp_nodelay true' : 'default config: Nagle on its sockets'}), vehicle table without latches on the sim board, runtime on the main thread, ${options.durationS} s (+1 s warm-up)…`)
      const r = await withBroker(mosquitto(sockets), ({ url, watch }) => measureAlarmLatency({ url, brokerSockets: sockets, durationS: options.durationS, realtimePriority: options.realtimePriority, watch }))
      const t = r.transitionToSubscriber
      progress(`  ${sockets}: transition → subscriber p50/p99/max ${(t.p50Us / 1000).toFixed(2)}/${(t.p99Us / 1000).toFixed(2)}/${(t.maxUs / 1000).toFixed(2)} ms over ${t.count} events (${r.lost} lost)`)
      latency.push(r)
    }
  }
  return { readings: options.readings, rounds: options.rounds, throughput, latency, skipped }
}

async function throughputRounds(broker: BrokerName, { url, watch }: { url: string; watch: MqttWatch }, options: MqttBenchOptions): Promise<ThroughputResult[]> {
  const results: ThroughputResult[] = []
  for (let round = 1; round <= options.rounds; round++) {
    // Alternated, so neither publisher always runs on the warmer broker.
    const order = round % 2 === 1 ? [edgertThroughput, rawThroughput] : [rawThroughput, edgertThroughput]
    for (const run of order) {
      const r = await run({ url, broker, readings: options.readings, warmupReadings: WARMUP_READINGS, round, watch })
      options.progress(`  ${broker} round ${round} ${r.publisher.padEnd(6)} ${Math.round(r.readingsPerS).toLocaleString('en').padStart(9)} readings/s (${r.seconds.toFixed(2)} s, ${r.received.toLocaleString('en')} received)`)
      for (const notice of r.notices) if (!notice.startsWith('MQTT: connected')) options.progress(`    edgert said: ${notice}`)
      results.push(r)
    }
  }
  return results
}

/** Starts the broker and a watching subscriber, runs `work`, and stops both whatever happens. */
async function withBroker<T>(starting: Promise<Broker>, work: (context: { url: string; watch: MqttWatch }) => Promise<T>): Promise<T> {
  const broker = await starting
  try {
    const watch = await MqttWatch.start({ url: broker.url, prefix: BENCH_PREFIX })
    try {
      return await work({ url: broker.url, watch })
    } finally {
      await watch.close()
    }
  } finally {
    await broker.close()
  }
}

async function mosquitto(sockets: BrokerNoDelay = 'nodelay'): Promise<Broker> {
  // test/helpers/mosquitto.ts writes `set_tcp_nodelay true`; a later line wins in mosquitto.conf.
  const broker = await startMosquitto(sockets === 'nagle' ? { extraConfig: () => 'set_tcp_nodelay false' } : {})
  return { url: broker.url, close: () => broker.remove() }
}

async function aedes(): Promise<Broker> {
  const broker = await startEmbeddedBroker({ port: 0 })
  return { url: broker.url, close: () => broker.close() }
}
