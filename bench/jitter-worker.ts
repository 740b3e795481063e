/**
 * The worker side of bench/jitter.ts: runs measurements in this thread, one per request, while
 * the main thread carries the load, and posts each raw result back (the samples' buffer is
 * transferred, not copied). One worker serves every round of one variant, so its JIT is warm
 * after the first. `kind` 'edgert' runs the scheduler + PreciseClock (jitter-runs.ts), 'floor'
 * the bare Atomics.wait loop (jitter-floor.ts).
 *
 * When a realtime priority is asked for, this thread (the scheduler's) gets it too: under load
 * it competes for a core with the load and V8's GC helper threads, and a SCHED_FIFO timer thread
 * cannot help a scheduler thread that is not running. The rt thread does the same
 * (runtime/rt-thread/worker.ts, through the clock's inline waits).
 */
import { parentPort, workerData } from 'node:worker_threads'
import type { PreciseClockOptions } from '../runtime/executive/precise-clock.ts'
import { currentThreadId, setRealtimePriority } from '../runtime/executive/thread-tuning.ts'
import { runFloor } from './jitter-floor.ts'
import { runEdgert, type RawRun, type RunPlan } from './jitter-runs.ts'

/** workerData of this worker. */
export interface JitterWorkerData {
  readonly kind: 'edgert' | 'floor'
  readonly clockOptions: PreciseClockOptions
}

/** What the worker posts: once 'ready', then one RawRun per RunPlan it is sent. */
export type JitterWorkerReply = 'ready' | RawRun

const port = parentPort
if (port === null) throw new Error('bench/jitter-worker.ts must run in a worker thread')
const data = workerData as JitterWorkerData
const priority = data.clockOptions.realtimePriority ?? null
let threadRealtime = 'off'
if (priority !== null) {
  const tid = currentThreadId()
  threadRealtime = typeof tid === 'number' ? await setRealtimePriority(tid, priority) : tid
}
port.on('message', (plan: RunPlan) => void measure(plan))
port.postMessage('ready' satisfies JitterWorkerReply)

async function measure(plan: RunPlan): Promise<void> {
  const raw = data.kind === 'floor' ? runFloor(plan) : await runEdgert(plan, data.clockOptions)
  const run: RawRun = { ...raw, threadRealtime }
  port?.postMessage(run satisfies JitterWorkerReply, [run.latenessMs.buffer as ArrayBuffer])
}
