/**
 * Alarm transition → alarm event at a subscriber, through a broker on loopback, while telemetry
 * flows on the same connection. The runtime is `edgert run --thread main`
 * (runtime/cli/main-thread-runtime.ts) assembled here so its lidar pipeline can be watched:
 * the unlatched vehicle table (vehicle-table.ts) on the sim board, booted by bootRun() on the
 * precise clock with the telemetry tap on, its alarms, outputs and readings fed to the
 * DeviceTelemetry that openTelemetry() builds for the broker's URL, with a temporary outbox on
 * disk. As in decision-latency.ts, the world moves the TF-Luna's target between 0.5 m and 3 m
 * every second lidar reading, so collision-imminent is raised or cleared every ~20 ms; each
 * transition is an alarm event (written, then published at once while its fsync runs), an
 * alarm state and output states, between telemetry batches of the three tasks (~170 readings/s).
 *
 * Both ends are stamped on the same clock, the process-wide CLOCK_MONOTONIC: the transition's
 * atMs is this thread's performance.now() (the precise clock's now()), converted with this
 * thread's origin (runtime/executive/time-origin.ts, error < 1 µs); the subscriber, a worker
 * thread (mqtt-watch.ts), stamps process.hrtime.bigint() when mqtt.js hands it the message.
 * Alarm events carry `seq`, consecutive per device from 1: the n-th onAlarm is seq n.
 *
 * Also reported: sample → subscriber, from the lidar reading's atMs (when its frame arrived on
 * the serial line; the TF-Luna streams at 100 Hz, so a frame waits 0–10 ms for its job), and
 * the event's own wall time `t` → receipt, as a remote subscriber would compute it
 * (performance.timeOrigin + performance.now() at receipt − t). That row reads 0–1 ms high by
 * construction: `t` is wallNow() − now() + atMs (run-boot.ts), and wallNow() is Date.now(),
 * truncated to the ms. The target is judged on the first row, monotonic at both ends.
 */
import type { Reading } from '../drivers/sensors/sensor.ts'
import type { SimTfLuna } from '../drivers/sim/chips/sim-tf-luna.ts'
import type { SimVl53l0x } from '../drivers/sim/chips/sim-vl53l0x.ts'
import type { AlarmEvent } from '../runtime/alarms/engine.ts'
import { DEFAULT_OUTBOX_MAX_BYTES } from '../runtime/cli/run-command.ts'
import { openTelemetry } from '../runtime/cli/telemetry-setup.ts'
import { openPreciseClock } from '../runtime/executive/precise-clock.ts'
import { measureTimeOrigin } from '../runtime/executive/time-origin.ts'
import { bootRun } from '../runtime/rt-thread/run-boot.ts'
import { applyCommand } from '../runtime/rt-thread/runtime-command.ts'
import { runtimeStatus } from '../runtime/rt-thread/status.ts'
import type { TaskMetricsSnapshot } from '../runtime/scheduler/task-metrics.ts'
import { FAR_M, NEAR_M } from './decision-harness.ts'
import { latenessStats, type LatenessStats } from './jitter-samples.ts'
import { BENCH_PREFIX, waitUntil } from './mqtt-throughput.ts'
import type { MqttWatch, WatchReport } from './mqtt-watch.ts'
import { loadTogglingVehicle } from './vehicle-table.ts'

/** The brief's target for the p99 of transition → subscriber, µs. */
export const ALARM_TO_SUBSCRIBER_TARGET_US = 2000

/** How the broker treats its own sockets: `set_tcp_nodelay true` (as docs/telemetry.md asks), or mosquitto's default (Nagle on). */
export type BrokerNoDelay = 'nodelay' | 'nagle'

export interface AlarmLatencyOptions {
  readonly url: string
  readonly brokerSockets: BrokerNoDelay
  /** Measured seconds, after the warm-up. */
  readonly durationS: number
  /** SCHED_FIFO priority (--rt) for the precise clock's timer thread, or null. */
  readonly realtimePriority: number | null
  readonly watch: MqttWatch
}

export interface AlarmLatencyResult {
  readonly brokerSockets: BrokerNoDelay
  readonly durationS: number
  /** Alarm transition (engine time) → subscriber receipt, µs: the target is on its p99. */
  readonly transitionToSubscriber: LatenessStats
  /** The lidar reading's sample time (frame arrival) → subscriber receipt, µs (collision-imminent events). */
  readonly sampleToSubscriber: LatenessStats
  /** The event's published wall time `t` → the subscriber's wall clock at receipt, µs. */
  readonly wallTToSubscriber: LatenessStats
  /**
   * How long DeviceTelemetry.onAlarm held the runtime's thread per event, µs: the outbox append
   * (the write; its fsync runs on the threadpool), handing the event to mqtt.js and its socket
   * write (flushed), then the alarm state's append and publish.
   */
  readonly onAlarmCall: LatenessStats
  /** Events recorded (transitions after the warm-up). */
  readonly events: number
  /** Of them, not received by the subscriber within the wait after the stop. */
  readonly lost: number
  /** Telemetry readings of this device the subscriber received during the run. */
  readonly telemetryReadings: number
  readonly lidar: TaskMetricsSnapshot
  readonly notices: readonly string[]
}

const WARMUP_MS = 1000
/** The world moves the target every this many lidar readings (the median-3 filter follows after 2). */
const READINGS_PER_LEVEL = 2
const CONNECT_TIMEOUT_MS = 5_000
const DELIVERY_TIMEOUT_MS = 3_000

/** The transitions of the run, by seq, on the process-wide monotonic clock (ms). */
class TransitionProbe {
  readonly transitionMonoMs = new Map<number, number>()
  readonly sampleMonoMs = new Map<number, number>()
  /** How long each recorded DeviceTelemetry.onAlarm call took, ms. */
  readonly onAlarmMs: number[] = []
  recordFromMs = Number.POSITIVE_INFINITY
  recording = true
  lastLidarSampleAtMs = Number.NaN
  #seq = 0
  readonly #originMs: number

  constructor(originMs: number) {
    this.#originMs = originMs
  }

  /** Called just before DeviceTelemetry.onAlarm, which gives the event the next seq; true when the event is recorded. */
  transition(event: AlarmEvent): boolean {
    const seq = ++this.#seq
    if (!this.recording || event.atMs < this.recordFromMs) return false
    this.transitionMonoMs.set(seq, this.#originMs + event.atMs)
    if (event.alarmId === 'collision-imminent') this.sampleMonoMs.set(seq, this.#originMs + this.lastLidarSampleAtMs)
    return true
  }
}

export async function measureAlarmLatency(options: AlarmLatencyOptions): Promise<AlarmLatencyResult> {
  const deviceId = `alarms-${options.brokerSockets}`
  const notices: string[] = []
  const notice = (message: string): void => void notices.push(message)
  const clock = await openPreciseClock({ realtimePriority: options.realtimePriority })
  try {
    const probe = new TransitionProbe(Number(measureTimeOrigin().originNs) / 1e6)
    const mqtt = await openTelemetry({ broker: options.url, deviceId, topicPrefix: BENCH_PREFIX, outboxDir: undefined, outboxMaxBytes: DEFAULT_OUTBOX_MAX_BYTES }, notice, reason => notice(`unstorable: ${reason}`))
    if (mqtt === undefined) throw new Error('openTelemetry returned nothing for a broker URL')
    const { telemetry } = mqtt
    try {
      await waitUntil(() => telemetry.stats.connected, CONNECT_TIMEOUT_MS, `the edgert link did not connect to ${options.url}`)
      const inputs = { config: await loadTogglingVehicle(), record: null, replay: null, scenario: null, alarmStateFile: null, telemetry: true }
      const run = await bootRun(inputs, clock, {
        event: () => undefined,
        alarm: (event, wallMs) => {
          const recorded = probe.transition(event)
          const beforeMs = performance.now()
          telemetry.onAlarm(event, wallMs)
          if (recorded) probe.onAlarmMs.push(performance.now() - beforeMs)
        },
        actuator: (change, wallMs) => telemetry.onActuator(change, wallMs),
        notice,
        readings: entries => telemetry.onReadings(entries),
      })
      const { runtime } = run
      const sim = runtime.sim!
      const lidar = sim.chip<SimTfLuna>('lidar')
      lidar.setDistance(FAR_M)
      sim.chip<SimVl53l0x>('distance').setDistance(1.5) // nothing near the bumper: obstacle-close stays normal
      const pipeline = runtime.alarms.pipelines.get('lidar')!
      const pipelineOnReading = pipeline.onReading.bind(pipeline)
      let lidarReadings = 0
      let near = false
      pipeline.onReading = (reading: Reading): void => {
        probe.lastLidarSampleAtMs = reading.atMs
        if (++lidarReadings % READINGS_PER_LEVEL === 0) {
          near = !near
          lidar.setDistance(near ? NEAR_M : FAR_M) // from the next frame on
        }
        pipelineOnReading(reading)
      }
      run.start()
      try {
        await telemetry.start({ metrics: () => Promise.resolve(runtimeStatus(runtime)), command: command => applyCommand(runtime, command) })
        probe.recordFromMs = clock.now() + WARMUP_MS
        await clock.sleep(WARMUP_MS + options.durationS * 1000)
        probe.recording = false
      } finally {
        await run.stop()
      }
      const report = await waitForEvents(options.watch, deviceId, [...probe.transitionMonoMs.keys()])
      const lidarMetrics = runtime.scheduler.metrics().find(task => task.id === 'lidar')!
      return summarise(options, deviceId, probe, report, lidarMetrics, notices)
    } finally {
      await mqtt.stop()
    }
  } finally {
    await clock.close()
  }
}

/** Waits (bounded) until the subscriber has every recorded seq. */
async function waitForEvents(watch: MqttWatch, deviceId: string, seqs: readonly number[]): Promise<WatchReport> {
  const untilMs = performance.now() + DELIVERY_TIMEOUT_MS
  for (;;) {
    const report = await watch.report()
    const seen = new Set(report.events.filter(event => event.deviceId === deviceId).map(event => event.seq))
    if (seqs.every(seq => seen.has(seq)) || performance.now() >= untilMs) return report
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

function summarise(options: AlarmLatencyOptions, deviceId: string, probe: TransitionProbe, report: WatchReport, lidar: TaskMetricsSnapshot, notices: readonly string[]): AlarmLatencyResult {
  const transition: number[] = []
  const sample: number[] = []
  const wallT: number[] = []
  const received = new Map(report.events.filter(event => event.deviceId === deviceId).map(event => [event.seq, event]))
  for (const [seq, atMonoMs] of probe.transitionMonoMs) {
    const event = received.get(seq)
    if (event === undefined) continue
    transition.push(event.receivedMonoMs - atMonoMs)
    wallT.push(event.receivedWallMs - event.t)
    const sampledMonoMs = probe.sampleMonoMs.get(seq)
    if (sampledMonoMs !== undefined && Number.isFinite(sampledMonoMs)) sample.push(event.receivedMonoMs - sampledMonoMs)
  }
  return {
    brokerSockets: options.brokerSockets,
    durationS: options.durationS,
    transitionToSubscriber: latenessStats(Float64Array.from(transition)),
    sampleToSubscriber: latenessStats(Float64Array.from(sample)),
    wallTToSubscriber: latenessStats(Float64Array.from(wallT)),
    onAlarmCall: latenessStats(Float64Array.from(probe.onAlarmMs)),
    events: probe.transitionMonoMs.size,
    lost: probe.transitionMonoMs.size - transition.length,
    telemetryReadings: report.readings[deviceId] ?? 0,
    lidar,
    notices,
  }
}
