import type { Worker } from 'node:worker_threads'
import { siblingModuleUrl, startModuleWorker } from '../runtime/executive/module-worker.ts'
import type { PreciseClockOptions } from '../runtime/executive/precise-clock.ts'
import { RT_THREAD_CLOCK } from '../runtime/rt-thread/clock-options.ts'
import { CYCLICTEST_MISSING, cyclictestPath, measureCyclictest } from './cyclictest.ts'
import { runBaseline, runEdgert, type RawRun, type RunPlan } from './jitter-runs.ts'
import type { JitterWorkerData, JitterWorkerReply } from './jitter-worker.ts'

/**
 * The timing paths the jitter benchmark compares:
 *   baseline        a naive setTimeout loop re-armed against absolute release times, main thread;
 *   floor           a worker that only sleeps in Atomics.wait to each release: the OS floor now;
 *   cyclictest      rt-tests' cyclictest at the same period (cyclictest.ts): the floor for a C
 *                   thread, where it is installed;
 *   edgert-main     Scheduler + PreciseClock on the main thread: the timer thread wakes it through
 *                   its event loop (the main thread's loop must stay free: MQTT, commands);
 *   edgert-worker   Scheduler + PreciseClock in a worker, opened as the rt thread opens it
 *                   (runtime/rt-thread/clock-options.ts: inline waits), load left on the main thread;
 *   edgert-handoff  the same worker with edgert-main's clock (timer-thread hand-off, no inline
 *                   waits): how the rt thread waited before inline waits.
 */
export type JitterVariant = 'baseline' | 'floor' | 'cyclictest' | 'edgert-main' | 'edgert-worker' | 'edgert-handoff'

export const ALL_VARIANTS: readonly JitterVariant[] = ['baseline', 'floor', 'cyclictest', 'edgert-main', 'edgert-worker', 'edgert-handoff']

/** `variants` without those whose tool is not installed (cyclictest), saying so once. */
export function installedVariants(variants: readonly JitterVariant[], progress: (line: string) => void): readonly JitterVariant[] {
  if (!variants.includes('cyclictest') || cyclictestPath() !== undefined) return variants
  progress(CYCLICTEST_MISSING)
  return variants.filter(variant => variant !== 'cyclictest')
}

/** Knobs from the command line, applied to every edgert variant. */
export interface VariantKnobs {
  /** Overrides each variant's own spin tail (µs). */
  readonly spinUs?: number
  /** SCHED_FIFO for the timing threads of every variant but the baseline (which runs on the main thread). */
  readonly realtimePriority: number | null
}

/** One variant, ready to measure round after round; close() ends its worker, if any. */
export interface VariantRunner {
  measure(plan: RunPlan): Promise<RawRun>
  close(): Promise<void>
}

/** The PreciseClock options a variant runs with (none for baseline and floor). */
export function clockOptionsFor(variant: JitterVariant, knobs: VariantKnobs): PreciseClockOptions {
  const base: PreciseClockOptions = variant === 'edgert-worker' ? RT_THREAD_CLOCK : { timerSlack: true }
  return { ...base, ...(knobs.spinUs === undefined ? {} : { spinUs: knobs.spinUs }), realtimePriority: knobs.realtimePriority }
}

export async function openRunner(variant: JitterVariant, knobs: VariantKnobs): Promise<VariantRunner> {
  const clockOptions = clockOptionsFor(variant, knobs)
  const close = (): Promise<void> => Promise.resolve()
  if (variant === 'baseline') return { measure: runBaseline, close }
  if (variant === 'edgert-main') return { measure: plan => runEdgert(plan, clockOptions), close }
  if (variant === 'cyclictest') {
    const binary = cyclictestPath()
    if (binary === undefined) throw new Error(CYCLICTEST_MISSING)
    return { measure: plan => measureCyclictest(binary, plan, knobs.realtimePriority), close }
  }
  return openWorkerRunner({ kind: variant === 'floor' ? 'floor' : 'edgert', clockOptions })
}

async function openWorkerRunner(workerData: JitterWorkerData): Promise<VariantRunner> {
  const worker = startModuleWorker(siblingModuleUrl(import.meta.url, 'jitter-worker'), { workerData })
  let closing = false
  await nextReply(worker, () => closing)
  return {
    measure: async plan => {
      const reply = nextReply(worker, () => closing)
      worker.postMessage(plan)
      return (await reply) as RawRun
    },
    close: async () => {
      closing = true
      await worker.terminate()
    },
  }
}

/** The worker's next message; rejects if it fails or exits first (unless we are closing it). */
function nextReply(worker: Worker, closing: () => boolean): Promise<JitterWorkerReply> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => settle(() => reject(error))
    const onExit = (code: number): void => settle(() => (closing() ? undefined : reject(new Error(`jitter worker exited with code ${code} before replying`))))
    const onMessage = (reply: JitterWorkerReply): void => settle(() => resolve(reply))
    const settle = (then: () => void): void => {
      worker.off('message', onMessage).off('error', onError).off('exit', onExit)
      then()
    }
    worker.on('message', onMessage).on('error', onError).on('exit', onExit)
  })
}
