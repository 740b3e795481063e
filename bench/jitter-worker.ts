/**
 * The "rt thread" side of bench/jitter.ts: runs the edgert measurement (scheduler + precise
 * clock) inside this worker thread, while the main thread carries the load, and posts the raw
 * result back (the samples' buffer is transferred, not copied). When the clock is asked for a
 * realtime priority, this thread (the scheduler's) gets it too: under load the scheduler thread
 * competes for a core with the load and V8's GC helper threads, and a SCHED_FIFO timer thread
 * cannot help a scheduler thread that is not running.
 */
import { parentPort, workerData } from 'node:worker_threads'
import type { PreciseClockOptions } from '../runtime/executive/precise-clock.ts'
import { currentThreadId, setRealtimePriority } from '../runtime/executive/thread-tuning.ts'
import { runEdgert, type RunPlan } from './jitter-runs.ts'

/** workerData of this worker. */
export interface JitterWorkerData {
  readonly plan: RunPlan
  readonly clockOptions: PreciseClockOptions
}

const data = workerData as JitterWorkerData
const priority = data.clockOptions.realtimePriority ?? null
let threadRealtime = 'off'
if (priority !== null) {
  const tid = currentThreadId()
  threadRealtime = typeof tid === 'number' ? await setRealtimePriority(tid, priority) : tid
}
const run = { ...(await runEdgert(data.plan, data.clockOptions)), threadRealtime }
parentPort?.postMessage(run, [run.latenessMs.buffer as ArrayBuffer])
