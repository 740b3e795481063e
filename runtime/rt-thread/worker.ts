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
import { runtimeStatus } from './status.ts'

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
    onAlarm: event => send({ type: 'alarm', event }),
    onActuator: change => send({ type: 'actuator', change }),
    onNotice: message => send({ type: 'notice', message }),
    ...(data.alarmStateFile === null ? {} : { alarmState: { file: data.alarmStateFile, wallNow: () => Date.now() } }),
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

/** The exit path: outputs safe now, without the event loop; the main thread waits on the ack. */
function emergencySafe(): void {
  const failures = running.actuators.toSafeSync()
  Atomics.store(data.emergencyAck, 0, failures.length === 0 ? 1 : 2)
  Atomics.notify(data.emergencyAck, 0)
}

// An error nothing caught on this thread: outputs safe first, then report and end.
process.on('uncaughtException', error => {
  emergencySafe()
  send({ type: 'failed', message: `uncaught error on the rt thread (outputs driven to their safe levels): ${error.message}` })
  process.exit(1)
})
process.on('unhandledRejection', reason => {
  emergencySafe()
  send({ type: 'failed', message: `unhandled rejection on the rt thread (outputs driven to their safe levels): ${reason instanceof Error ? reason.message : String(reason)}` })
  process.exit(1)
})
port.on('message', (message: ToRtThread) => {
  if (message.type === 'metrics') {
    send({ type: 'metrics', requestId: message.requestId, ...runtimeStatus(running) })
  } else if (message.type === 'emergency') {
    emergencySafe()
  } else if (message.type === 'alarm-command') {
    const { requestId, alarmId, command, durationMs } = message
    running.alarms.engine.command(alarmId, command, durationMs === undefined ? {} : { durationMs }).then(
      reply => send({ type: 'command-result', requestId, reply }),
      (error: unknown) => send({ type: 'command-result', requestId, reply: { ok: false, reason: `the command was accepted but an output could not be written: ${error instanceof Error ? error.message : String(error)}` } }),
    )
  } else {
    void stop()
  }
})

async function stop(): Promise<void> {
  await running.stop()
  await precise?.close()
  await recorder?.close()
  send({ type: 'stopped', ...runtimeStatus(running), recorded: recorderStats(recorder), scenario: running.scenario?.report() ?? null })
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
