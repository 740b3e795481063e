import { systemClock } from '../../runtime/clock.ts'
import { openPreciseClock } from '../../runtime/executive/precise-clock.ts'
import { RT_THREAD_CLOCK } from '../../runtime/rt-thread/clock-options.ts'
import { VirtualClock } from '../../runtime/virtual-clock.ts'
import { describeClockContract } from './clock.contract.ts'

describeClockContract('systemClock', () => Promise.resolve({ clock: systemClock }))

describeClockContract('VirtualClock', () => {
  const clock = new VirtualClock()
  return Promise.resolve({ clock, advance: (ms: number) => clock.advance(ms) })
})

describeClockContract('PreciseClock', async () => {
  const clock = await openPreciseClock()
  return { clock, close: () => clock.close() }
})

// As the rt thread opens it: deadlines within 2 ms are waited for inline (the calling thread
// blocks in Atomics.wait), farther ones are handed over by the timer thread 0.5 ms before.
describeClockContract('PreciseClock with inline waits', async () => {
  const clock = await openPreciseClock(RT_THREAD_CLOCK)
  return { clock, close: () => clock.close() }
})

// Inline waits configured but always refused by the owner: every wake-up takes the fallback
// through the timer thread, aimed at the deadline itself.
describeClockContract('PreciseClock with inline waits refused', async () => {
  const clock = await openPreciseClock({ ...RT_THREAD_CLOCK, canWaitInline: () => false })
  return { clock, close: () => clock.close() }
})
