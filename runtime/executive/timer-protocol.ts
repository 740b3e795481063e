import type { TuningOutcome } from './thread-tuning.ts'

/**
 * The protocol between a PreciseClock (the owner) and its timer thread (timer-thread.ts).
 *
 * Start: the owner passes TimerThreadData as workerData; the thread tunes itself, posts one
 * TimerThreadReady message, then only talks through shared memory.
 *
 * One SharedArrayBuffer of TIMER_CELLS_BYTES holds:
 * - Int32 cell REQUEST: a counter the owner bumps (Atomics.add + Atomics.notify) after writing a
 *   new target. The timer thread sleeps on this cell, so a bump wakes it to re-read the target.
 * - Int32 cell FIRED: the REQUEST value the timer thread last served. It stores it and notifies
 *   when the target time has come; the owner waits on it with Atomics.waitAsync.
 * - Int32 cell STOP: set to 1 by the owner when it closes; the thread leaves its loop.
 * - Float64 cell TARGET (at byte TARGET_BYTE_OFFSET): the absolute wake-up time in the OWNER's
 *   performance.now() milliseconds, or +Infinity for "no wake-up wanted".
 *
 * TARGET is a plain (non-atomic) Float64 write: Atomics does not operate on Float64Array. The
 * owner writes it before bumping REQUEST, so a thread that reads the new REQUEST also sees the
 * new target (the SC atomic orders the plain write). A read that races a write can at worst see a
 * stale or torn target; the thread then either waits on REQUEST and is woken by the bump, or fires
 * early, and the owner never resolves a sleep before its own now() has reached the deadline.
 */
export const REQUEST = 0
export const FIRED = 1
export const STOP = 2
export const INT32_CELLS = 4
export const TARGET_BYTE_OFFSET = INT32_CELLS * Int32Array.BYTES_PER_ELEMENT
export const TIMER_CELLS_BYTES = TARGET_BYTE_OFFSET + Float64Array.BYTES_PER_ELEMENT

/** Views on one timer SharedArrayBuffer. */
export interface TimerCells {
  readonly int32: Int32Array
  /** One element: index 0 is TARGET. */
  readonly target: Float64Array
}

export function timerCells(buffer: SharedArrayBuffer): TimerCells {
  if (buffer.byteLength < TIMER_CELLS_BYTES) {
    throw new RangeError(`timer cells need ${TIMER_CELLS_BYTES} bytes, got ${buffer.byteLength}`)
  }
  return { int32: new Int32Array(buffer, 0, INT32_CELLS), target: new Float64Array(buffer, TARGET_BYTE_OFFSET, 1) }
}

/** workerData of the timer thread. */
export interface TimerThreadData {
  readonly buffer: SharedArrayBuffer
  /** The owner thread's time origin (time-origin.ts): TARGET is converted with it. */
  readonly ownerOriginNs: bigint
  /** Busy-wait this many µs before the target instead of sleeping through them. >= 0. */
  readonly spinUs: number
  /** Try to set the thread's timer slack to 1 ns. */
  readonly timerSlack: boolean
}

/** The one message the timer thread posts, before its loop starts. */
export interface TimerThreadReady {
  /** Kernel thread id, or why it could not be read. */
  readonly tid: number | string
  /** 'set', 'off' (not asked), or why it was refused. */
  readonly timerSlack: TuningOutcome
  /** Bound on the error of the owner-to-thread time conversion, in ns (time-origin.ts). */
  readonly conversionUncertaintyNs: number
}
