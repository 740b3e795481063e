/**
 * The inline wait of a PreciseClock: the owner thread itself waits for a deadline, synchronously,
 * in Atomics.wait (a futex), instead of going back to its event loop and being woken by the
 * timer thread. It saves the cross-thread hand-off (a second thread's wake-up, the waitAsync
 * task, a loop turn: ~85-95 µs p50 at 10 ms and ~20 µs at 1 ms on the dev VM, docs/timing.md),
 * and at 1 kHz it is one futex wake-up per period instead of three.
 *
 * While it waits, the thread's event loop does not run: messages, I/O completions and timers
 * wait too. So the clock waits inline only for the last moments before a deadline, only when its
 * owner says nothing is in flight (PreciseClockOptions.canWaitInline), and other threads that
 * post to the owner ring its doorbell, which ends the wait at once.
 */

/**
 * A doorbell: one Int32 cell on shared memory. Whoever posts a message to the owner thread rings
 * it afterwards; an inline wait that sees it ring returns so the owner's event loop can run.
 */
export function createDoorbell(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT))
}

/** Rings `doorbell` (any thread). Cheap: ~0.1 µs with nobody waiting (reference R.7). */
export function ringDoorbell(doorbell: Int32Array): void {
  Atomics.add(doorbell, 0, 1)
  Atomics.notify(doorbell, 0)
}

/** The doorbell's value now; pass it to waitInline to wait for rings after this point. */
export function doorbellValue(doorbell: Int32Array): number {
  return Atomics.load(doorbell, 0)
}

/**
 * Doorbell checks between two clock reads while spinning. performance.now() allocates on Node 20
 * (it is built from a process.hrtime() array, lib/internal/perf/utils.js): reading it on every
 * turn of a 50 µs spin tripled the rt thread's scavenges at 1 kHz (--trace-gc, 8 s: 13 instead
 * of 4 without spin; 9 with a read every 64 checks). 64 atomic loads took 0.3-0.85 µs on the dev
 * VM, which bounds what this adds to the wake-up.
 */
export const SPIN_CHECKS = 64

/**
 * Blocks this thread until performance.now() reaches `untilMs`, sleeping in Atomics.wait and
 * busy-waiting the last `spinMs`. Returns true when the time has come, false as soon as the
 * doorbell is not `seen` any more (it rang). A timed wait that returns a little early is
 * simply waited again, so true never comes early. Allocates nothing.
 */
export function waitInline(doorbell: Int32Array, seen: number, untilMs: number, spinMs: number): boolean {
  for (let sleepMs = untilMs - spinMs - performance.now(); sleepMs > 0; sleepMs = untilMs - spinMs - performance.now()) {
    if (Atomics.wait(doorbell, 0, seen, sleepMs) !== 'timed-out') return false
  }
  while (performance.now() < untilMs) {
    for (let i = 0; i < SPIN_CHECKS; i++) if (Atomics.load(doorbell, 0) !== seen) return false
  }
  return true
}
