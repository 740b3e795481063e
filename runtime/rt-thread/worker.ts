/**
 * The rt thread: boots the runtime and runs the scheduler in this worker, away from the main
 * thread's garbage collection and network work (docs/timing.md), and answers the main thread's
 * requests. The hardware is opened here too, so a sample, the decision on it and the actuator
 * write all happen on this thread.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { systemClock, type Clock } from '../clock.ts'
import { openPreciseClock, type PreciseClock } from '../executive/precise-clock.ts'
import { currentThreadId, setRealtimePriority } from '../executive/thread-tuning.ts'
import { RT_THREAD_CLOCK } from './clock-options.ts'
import type { FromRtThread, RtThreadData, ToRtThread } from './protocol.ts'
import { bootRun, type BootedRun } from './run-boot.ts'
import { applyCommand } from './runtime-command.ts'
import { runtimeStatus } from './status.ts'

if (parentPort === null) throw new Error('runtime/rt-thread/worker.ts must run in a worker thread')
const port: NonNullable<typeof parentPort> = parentPort
const data = workerData as RtThreadData
const send = (message: FromRtThread): void => port.postMessage(message)

let precise: PreciseClock | undefined
let run: BootedRun | undefined
try {
  // Inline waits (clock-options.ts): the clock may stop this thread's event loop until a release
  // that is near, but not during boot or while a job holds the processor (it may be awaiting
  // I/O); the main thread rings the doorbell after each message.
  const canWaitInline = (): boolean => run !== undefined && run.runtime.scheduler.running === null
  precise = data.clock === 'precise' ? await openPreciseClock({ ...RT_THREAD_CLOCK, realtimePriority: data.rtPriority, doorbell: data.doorbell, canWaitInline }) : undefined
  const clock: Clock = precise ?? systemClock
  run = await bootRun(data, clock, {
    event: event => send({ type: 'event', event }),
    alarm: (event, wallMs) => send({ type: 'alarm', event, wallMs }),
    actuator: (change, wallMs) => send({ type: 'actuator', change, wallMs }),
    notice: message => send({ type: 'notice', message }),
    readings: entries => send({ type: 'readings', entries }),
  })
  // With --rt-priority the thread that waits inline and runs the jobs is made SCHED_FIFO too,
  // not only the timer thread: it is the one whose wake-up the jobs see (docs/timing.md).
  const threadRealtime = data.rtPriority === null ? 'off' : await realtimeForThisThread(data.rtPriority)
  run.start()
  send({ type: 'ready', clockStatus: precise?.status ?? null, threadRealtime })
} catch (error) {
  send({ type: 'failed', message: error instanceof Error ? error.message : String(error) })
  await precise?.close()
  process.exit(1)
}

const booted = run
const running = booted.runtime

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
  } else if (message.type === 'command') {
    const { requestId, command } = message
    void applyCommand(running, command).then(reply => send({ type: 'command-result', requestId, reply }))
  } else {
    void stop()
  }
})

async function stop(): Promise<void> {
  const recorded = await booted.stop()
  await precise?.close()
  send({ type: 'stopped', ...runtimeStatus(running), recorded, scenario: running.scenario?.report() ?? null })
  port.close()
}

async function realtimeForThisThread(priority: number): Promise<string> {
  const tid = currentThreadId()
  return typeof tid === 'number' ? setRealtimePriority(tid, priority) : tid
}
