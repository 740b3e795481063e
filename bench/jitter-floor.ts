import { currentThreadId, setTimerSlack } from '../runtime/executive/thread-tuning.ts'
import { threadCpu, type ThreadCpu } from './jitter-machine.ts'
import type { RawRun, RunPlan } from './jitter-runs.ts'
import { LatenessSamples } from './jitter-samples.ts'

/**
 * The floor: this thread does nothing but sleep in Atomics.wait to each release on the absolute
 * grid (timer slack 1 ns) and note how late it woke. No scheduler, no promises, no event loop:
 * what the kernel (and, on the dev VM, the hypervisor) gives any thread at this moment, measured
 * in the same run as the others, so a slow round shows up here too. It blocks its thread for the
 * whole run: call it in a worker (jitter-worker.ts). Reference §1.2 measured the same loop
 * ("worker-sab + timerslack 1 ns": 24 / 96 µs p50 / p99 at 1 ms on an idle machine).
 */
export function runFloor(plan: RunPlan): RawRun {
  const { periodMs, durationMs, warmupMs } = plan
  const tid = currentThreadId()
  if (typeof tid === 'number') setTimerSlack(tid, 1)
  const cell = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT))
  const samples = new LatenessSamples(periodMs, warmupMs, durationMs)
  const threads: ThreadCpu[] = typeof tid === 'number' ? [threadCpu(tid)] : []
  const startCpu = process.cpuUsage()
  const startMs = performance.now()
  const endMs = startMs + periodMs + durationMs
  for (let releaseMs = startMs + periodMs; releaseMs < endMs; releaseMs += periodMs) {
    for (let sleepMs = releaseMs - performance.now(); sleepMs > 0; sleepMs = releaseMs - performance.now()) Atomics.wait(cell, 0, 0, sleepMs)
    const nowMs = performance.now()
    if (nowMs - releaseMs >= periodMs) releaseMs += Math.floor((nowMs - releaseMs) / periodMs) * periodMs // skipped, as the scheduler does
    samples.record(releaseMs, nowMs)
  }
  const wallMs = performance.now() - startMs
  const used = process.cpuUsage(startCpu)
  return {
    latenessMs: samples.values().slice(),
    expected: samples.expected,
    cpuPct: ((used.user + used.system) / 1000 / wallMs) * 100,
    path: threads.map(thread => thread.since(wallMs)),
  }
}
