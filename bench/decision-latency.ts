/**
 * Sample → actuator write latency on the simulated board, through the real runtime: the
 * unlatched vehicle table (vehicle-table.ts) booted with boot() on the precise clock, either on
 * the main thread as `edgert run --thread main` runs it (runtime/cli/main-thread-runtime.ts), or
 * in a worker with the rt thread's clock (runtime/rt-thread/clock-options.ts: inline waits, 50 µs
 * spin), as `edgert run` runs it. The world moves the TF-Luna's target between 0.5 m and 3 m
 * every second lidar reading, so every other reading raises or clears collision-imminent and the
 * lidar job writes the brake (and the buzzer).
 *
 * Timestamps, all on the runtime clock (the precise clock's now(), performance.now()):
 * - in: the job hands its reading to the decision. The lidar TaskPipeline's onReading is wrapped
 *   on this instance, from outside the runtime, to read the clock first (+1 clock read, ~0.1 µs);
 * - pin: the sim GPIO's onOutput listener sees the brake line (BCM 22) set, inside
 *   OutputPin.write;
 * - write: the Actuators change event for the brake, which fires once pin.write() resolved;
 * - decided: boot's onReading callback, which runs right after AlarmEngine.evaluateTask returned
 *   (for every reading, written or not);
 * - frame: the reading's atMs, when the TF-Luna frame arrived on the serial line. The sensor
 *   streams at 100 Hz by itself, so the frame has usually waited in the driver for the next
 *   release of the 10 ms task: frame → write is mostly the frame's age, 0-10 ms.
 * Readings of the first WARMUP_MS are not recorded (JIT, the sensors' init).
 */
import type { SimTfLuna } from '../drivers/sim/chips/sim-tf-luna.ts'
import type { SimVl53l0x } from '../drivers/sim/chips/sim-vl53l0x.ts'
import type { Reading } from '../drivers/sensors/sensor.ts'
import { boot, type Runtime } from '../runtime/boot.ts'
import { openPreciseClock, type PreciseClockOptions, type PreciseClockStatus } from '../runtime/executive/precise-clock.ts'
import { RT_THREAD_CLOCK } from '../runtime/rt-thread/clock-options.ts'
import type { TaskMetricsSnapshot } from '../runtime/scheduler/task-metrics.ts'
import { FAR_M, NEAR_M } from './decision-harness.ts'
import { benchModule, runIsolated } from './isolated.ts'
import { latenessStats, type LatenessStats } from './jitter-samples.ts'
import { BRAKE_LINE, LIDAR_PERIOD_MS, loadTogglingVehicle } from './vehicle-table.ts'

/** Where the runtime runs: this thread with the main thread's clock, or a worker with the rt thread's. */
export type DecisionThread = 'main' | 'rt'

export interface DecisionLatencyOptions {
  /** Measured seconds (after the warm-up). */
  readonly durationS: number
  readonly thread: DecisionThread
  /** SCHED_FIFO priority (--rt) for the precise clock's timer thread, and with 'rt' the runtime's thread too; or null. */
  readonly realtimePriority: number | null
}

export interface DecisionLatencyResult {
  readonly durationS: number
  readonly thread: DecisionThread
  /** Readings that wrote the brake: in → write resolved (µs). The target is on its p99. */
  readonly toWrite: LatenessStats
  /** The same readings: in → brake line set (µs). */
  readonly toPin: LatenessStats
  /** Every lidar reading: in → decided (µs). */
  readonly decided: LatenessStats
  /** Readings that wrote the brake: frame arrival → write resolved (µs). */
  readonly frameToWrite: LatenessStats
  readonly lidar: TaskMetricsSnapshot
  readonly clock: PreciseClockStatus
}

/** The target for the p99 of sample → write, µs. */
export const SAMPLE_TO_WRITE_TARGET_US = 200
const WARMUP_MS = 1000
/** The world moves the target every this many lidar readings (the median-3 filter follows after 2). */
const READINGS_PER_LEVEL = 2

/** Preallocated samples in ms, so recording allocates nothing in the measured thread. */
class Samples {
  readonly #values: Float64Array
  #count = 0

  constructor(capacity: number) {
    this.#values = new Float64Array(capacity)
  }

  push(valueMs: number): void {
    if (this.#count < this.#values.length) this.#values[this.#count++] = valueMs
  }

  stats(): LatenessStats {
    return latenessStats(this.#values.subarray(0, this.#count))
  }
}

/**
 * The timestamps of the lidar job in flight (see the file comment), paired into samples. Every
 * hook runs in the lidar job: in, pin and decided synchronously in that order (evaluateTask calls
 * OutputPin.write, whose body sets the line at once), write a few microtasks later, before the
 * job ends. A brake write by another task's job (none here once the brake is released) comes
 * while no lidar reading is being decided and is not counted.
 */
class LidarJobProbe {
  readonly toWrite: Samples
  readonly toPin: Samples
  readonly decided: Samples
  readonly frameToWrite: Samples
  /** Readings stamped (frame arrival) before this are not recorded. */
  recordFromMs = Number.POSITIVE_INFINITY
  #deciding = false
  #writing = false
  #inMs = 0
  #frameAtMs = 0
  #pinMs = Number.NaN

  constructor(capacity: number) {
    this.toWrite = new Samples(capacity)
    this.toPin = new Samples(capacity)
    this.decided = new Samples(capacity)
    this.frameToWrite = new Samples(capacity)
  }

  in(reading: Reading, nowMs: number): void {
    this.#inMs = nowMs
    this.#frameAtMs = reading.atMs
    this.#pinMs = Number.NaN
    this.#deciding = true
  }

  pin(atMs: number): void {
    if (this.#deciding) this.#pinMs = atMs
  }

  decidedAt(reading: Reading, nowMs: number): void {
    this.#deciding = false
    const recording = reading.atMs >= this.recordFromMs
    if (recording) this.decided.push(nowMs - this.#inMs)
    this.#writing = recording && !Number.isNaN(this.#pinMs)
  }

  written(atMs: number): void {
    if (!this.#writing) return
    this.#writing = false
    this.toWrite.push(atMs - this.#inMs)
    this.toPin.push(this.#pinMs - this.#inMs)
    this.frameToWrite.push(atMs - this.#frameAtMs)
  }
}

/** Runs the measurement on the thread `options.thread` says (a worker for 'rt'). */
export async function runDecisionLatencyBench(options: DecisionLatencyOptions): Promise<DecisionLatencyResult> {
  if (!(options.durationS > 0)) throw new RangeError(`durationS must be positive, got ${options.durationS}`)
  if (options.thread === 'main') return measureDecisionLatency(options)
  return runIsolated(benchModule(import.meta.url, 'decision-latency'), 'measureDecisionLatency', [options])
}

/** Boots, runs and measures the runtime on the calling thread, with the clock of `options.thread`. */
export async function measureDecisionLatency(options: DecisionLatencyOptions): Promise<DecisionLatencyResult> {
  const { durationS, thread } = options
  const probe = new LidarJobProbe(Math.ceil((durationS * 1000) / LIDAR_PERIOD_MS) * 2 + 100)
  let runtime: Runtime | undefined
  // As runtime/rt-thread/worker.ts: no inline wait during boot, or while a job holds the processor.
  const rtClock: PreciseClockOptions = { ...RT_THREAD_CLOCK, canWaitInline: () => runtime !== undefined && runtime.scheduler.running === null }
  const clock = await openPreciseClock({ ...(thread === 'rt' ? rtClock : {}), realtimePriority: options.realtimePriority })
  try {
    let readings = 0
    const world = { lidar: undefined as SimTfLuna | undefined, near: false }
    runtime = await boot(await loadTogglingVehicle(), {
      clock,
      onReading: (taskId, _device, reading) => {
        if (taskId !== 'lidar') return
        probe.decidedAt(reading, clock.now())
        if (++readings % READINGS_PER_LEVEL !== 0) return
        world.near = !world.near
        world.lidar?.setDistance(world.near ? NEAR_M : FAR_M)
      },
      onActuator: change => {
        if (change.output === 'brake') probe.written(change.atMs)
      },
    })
    const sim = runtime.sim!
    world.lidar = sim.chip<SimTfLuna>('lidar')
    world.lidar.setDistance(FAR_M)
    sim.chip<SimVl53l0x>('distance').setDistance(1.5) // nothing near the bumper: obstacle-close stays normal
    const pipeline = runtime.alarms.pipelines.get('lidar')!
    const pipelineOnReading = pipeline.onReading.bind(pipeline)
    pipeline.onReading = (reading: Reading): void => {
      probe.in(reading, clock.now())
      pipelineOnReading(reading)
    }
    const unwatch = sim.gpio.onOutput((line, _level, atMs) => {
      if (line === BRAKE_LINE) probe.pin(atMs)
    })
    runtime.start()
    try {
      probe.recordFromMs = clock.now() + WARMUP_MS
      await clock.sleep(WARMUP_MS + durationS * 1000)
    } finally {
      await runtime.stop()
      unwatch()
    }
    const { toWrite, toPin, decided, frameToWrite } = probe
    const lidar = runtime.scheduler.metrics().find(task => task.id === 'lidar')!
    return { durationS, thread, toWrite: toWrite.stats(), toPin: toPin.stats(), decided: decided.stats(), frameToWrite: frameToWrite.stats(), lidar, clock: clock.status }
  } finally {
    await clock.close()
  }
}
