/**
 * The timer thread of a PreciseClock (precise-clock.ts). It has no other work: it sleeps until the
 * absolute time its owner wrote, optionally busy-waits the last spinUs, and tells the owner.
 *
 * Why a thread: the main thread's timers are millisecond-granular and stop for every GC pause and
 * long job; this thread's isolate never runs JavaScript besides this loop, so its wake-up
 * lateness is the kernel's (docs/timing.md). Protocol and memory layout: timer-protocol.ts.
 *
 * The loop creates no JavaScript objects: it reads cells, compares numbers and calls Atomics
 * (with --trace-gc, this isolate collected only during start-up in a 5 s run at 1 kHz).
 * Atomics.wait takes fractional milliseconds (tc39/ecma262#2914), so no rounding to whole ms.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { currentThreadId, setTimerSlack, type TuningOutcome } from './thread-tuning.ts'
import { SPIN_CHECKS } from './inline-wait.ts'
import { measureTimeOrigin, originOffsetMs } from './time-origin.ts'
import { FIRED, REQUEST, STOP, timerCells, type TimerThreadData, type TimerThreadReady } from './timer-protocol.ts'

const data = workerData as TimerThreadData
const { int32, target } = timerCells(data.buffer)
const spinMs = data.spinUs / 1000
const origin = measureTimeOrigin()
/** Add to an owner time to get the same instant on this thread's performance.now(). */
const toThreadMs = originOffsetMs(data.ownerOriginNs, origin.originNs)

const tid = currentThreadId()
let timerSlack: TuningOutcome = 'off'
if (data.timerSlack) timerSlack = typeof tid === 'number' ? setTimerSlack(tid, 1) : tid
const ready: TimerThreadReady = { tid, timerSlack, conversionUncertaintyNs: origin.uncertaintyNs }
parentPort?.postMessage(ready)

serve()

/** Serves requests until STOP: each request is fired at most once, when its target has come. */
function serve(): void {
  for (;;) {
    const request = Atomics.load(int32, REQUEST)
    if (Atomics.load(int32, STOP) !== 0) return
    const targetMs = target[0]! + toThreadMs
    if (targetMs === Number.POSITIVE_INFINITY) {
      Atomics.wait(int32, REQUEST, request)
      continue
    }
    if (!reached(request, targetMs)) continue
    Atomics.store(int32, FIRED, request)
    Atomics.notify(int32, FIRED)
    // Served: sleep until the owner asks again (returns at once if it already has).
    Atomics.wait(int32, REQUEST, request)
  }
}

/**
 * Sleeps, then spins the last spinMs, until this thread's clock reads `targetMs`. Returns false
 * as soon as the owner makes a new request (or stops), so the caller re-reads the target.
 * A timed wait that returns a little early is simply waited again: the thread never fires early.
 */
function reached(request: number, targetMs: number): boolean {
  for (let sleepMs = targetMs - spinMs - performance.now(); sleepMs > 0; sleepMs = targetMs - spinMs - performance.now()) {
    if (Atomics.wait(int32, REQUEST, request, sleepMs) !== 'timed-out') return false
  }
  while (performance.now() < targetMs) {
    for (let i = 0; i < SPIN_CHECKS; i++) if (Atomics.load(int32, REQUEST) !== request) return false // few clock reads: they allocate (inline-wait.ts)
  }
  return true
}
