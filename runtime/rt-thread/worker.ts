/**
 * The rt thread: boots the runtime and runs the scheduler in this worker, away from the main
 * thread's garbage collection and network work (docs/timing.md), and answers the main thread's
 * requests. The hardware is opened here too, so a sample, the decision on it and the actuator
 * write all happen on this thread.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { boot, type Runtime } from '../boot.ts'
import { systemClock, type Clock } from '../clock.ts'
import { openPreciseClock, type PreciseClock } from '../executive/precise-clock.ts'
import { RT_THREAD_CLOCK } from './clock-options.ts'
import type { Reading } from '../../drivers/sensors/sensor.ts'
import { Recorder } from '../readings/recorder.ts'
import { currentThreadId, setRealtimePriority } from '../executive/thread-tuning.ts'
import { toWireEvent, type FromRtThread, type RecorderStats, type RtThreadData, type ToRtThread } from './protocol.ts'

if (parentPort === null) throw new Error('runtime/rt-thread/worker.ts must run in a worker thread')
const port: NonNullable<typeof parentPort> = parentPort
const data = workerData as RtThreadData
const send = (message: FromRtThread): void => port.postMessage(message)

let precise: PreciseClock | undefined
let runtime: Runtime | undefined
let recorder: Recorder | undefined
try {
  // Inline waits (clock-options.ts): the clock may stop this thread's event loop until a release
  // that is near, but not during boot or while a job holds the processor (it may be awaiting
  // I/O); the main thread rings the doorbell after each message.
  const canWaitInline = (): boolean => runtime !== undefined && runtime.scheduler.running === null
  precise = data.clock === 'precise' ? await openPreciseClock({ ...RT_THREAD_CLOCK, realtimePriority: data.rtPriority, doorbell: data.doorbell, canWaitInline }) : undefined
  const clock: Clock = precise ?? systemClock
  recorder = data.record === null ? undefined : new Recorder(data.record, { board: data.config.board.id, tasks: data.config.tasksFile, startMs: clock.now() })
  const record = recorder
  runtime = await boot(data.config, {
    clock,
    onEvent: event => send({ type: 'event', event: toWireEvent(event) }),
    onSafeState: (taskId, reason) => send({ type: 'event', event: { type: 'safe-state', taskId, atMs: clock.now(), reason } }),
    ...(record === undefined ? {} : { onReading: (taskId: string, device: string, reading: Reading) => record.record(taskId, device, reading) }),
    ...(data.replay === null ? {} : { replay: data.replay }),
    ...(data.scenario === null ? {} : { scenario: data.scenario }),
  })
  // With --rt-priority the thread that waits inline and runs the jobs is made SCHED_FIFO too,
  // not only the timer thread: it is the one whose wake-up the jobs see (docs/timing.md).
  const threadRealtime = data.rtPriority === null ? 'off' : await realtimeForThisThread(data.rtPriority)
  runtime.start()
  send({ type: 'ready', clockStatus: precise?.status ?? null, threadRealtime })
} catch (error) {
  send({ type: 'failed', message: error instanceof Error ? error.message : String(error) })
  await precise?.close()
  await recorder?.close()
  process.exit(1)
}

const running = runtime
port.on('message', (message: ToRtThread) => {
  if (message.type === 'metrics') {
    send({ type: 'metrics', requestId: message.requestId, metrics: running.scheduler.metrics(), readings: running.readings.snapshot() })
  } else {
    void stop()
  }
})

async function stop(): Promise<void> {
  await running.stop()
  await precise?.close()
  await recorder?.close()
  send({ type: 'stopped', metrics: running.scheduler.metrics(), readings: running.readings.snapshot(), recorded: recorderStats(recorder), scenario: running.scenario?.report() ?? null })
  port.close()
}


async function realtimeForThisThread(priority: number): Promise<string> {
  const tid = currentThreadId()
  return typeof tid === 'number' ? setRealtimePriority(tid, priority) : tid
}

function recorderStats(recording: Recorder | undefined): RecorderStats | null {
  if (recording === undefined) return null
  return { written: recording.written, dropped: recording.dropped, failure: recording.failure?.message ?? null }
}
