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
import { toWireEvent, type FromRtThread, type RtThreadData, type ToRtThread } from './protocol.ts'

if (parentPort === null) throw new Error('runtime/rt-thread/worker.ts must run in a worker thread')
const port: NonNullable<typeof parentPort> = parentPort
const data = workerData as RtThreadData
const send = (message: FromRtThread): void => port.postMessage(message)

let precise: PreciseClock | undefined
let runtime: Runtime | undefined
try {
  precise = data.clock === 'precise' ? await openPreciseClock({ realtimePriority: data.rtPriority }) : undefined
  const clock: Clock = precise ?? systemClock
  runtime = boot(data.config, {
    clock,
    onEvent: event => send({ type: 'event', event: toWireEvent(event) }),
    onSafeState: (taskId, reason) => send({ type: 'event', event: { type: 'safe-state', taskId, atMs: clock.now(), reason } }),
  })
  runtime.start()
  send({ type: 'ready', clockStatus: precise?.status ?? null })
} catch (error) {
  send({ type: 'failed', message: error instanceof Error ? error.message : String(error) })
  await precise?.close()
  process.exit(1)
}

const running = runtime
port.on('message', (message: ToRtThread) => {
  if (message.type === 'metrics') {
    send({ type: 'metrics', requestId: message.requestId, metrics: running.scheduler.metrics() })
  } else {
    void stop()
  }
})

async function stop(): Promise<void> {
  await running.stop()
  await precise?.close()
  send({ type: 'stopped', metrics: running.scheduler.metrics() })
  port.close()
}

