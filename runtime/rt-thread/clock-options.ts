import type { PreciseClockOptions } from '../executive/precise-clock.ts'

/**
 * How the rt thread opens its PreciseClock; bench/jitter.ts (variant edgert-worker) measures
 * exactly these. docs/timing.md has the measurements behind each value.
 *
 * - inlineWaitMs 2: a release at most 2 ms away is waited for by the rt thread itself in
 *   Atomics.wait, so every period of a task at >= 500 Hz is one futex wake-up on the thread that
 *   runs the job, with no cross-thread hand-off. It is also the longest the rt thread's event
 *   loop stops: I/O completions and timers wait at most this long (messages from the main thread
 *   ring the doorbell and do not wait).
 * - inlineLeadMs 0.5: a farther release is handed over by the timer thread 0.5 ms before it,
 *   which covers the hand-off's p99 on the dev VM, and the rest is waited inline.
 * - spinUs 50: the last 50 µs are busy-waited, which takes the CPU's idle exit out of the
 *   wake-up: at 1 kHz, SCHED_FIFO, p50/p99 15/88 µs against 63/256 µs without and 39/141 µs with
 *   20 µs, for +0.2-0.5 % of a core on the thread (the spin replaces part of the wake-up's cost).
 */
export const RT_THREAD_CLOCK = {
  inlineWaitMs: 2,
  inlineLeadMs: 0.5,
  spinUs: 50,
  timerSlack: true,
} as const satisfies PreciseClockOptions
