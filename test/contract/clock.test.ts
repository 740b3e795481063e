import { systemClock } from '../../runtime/clock.ts'
import { openPreciseClock } from '../../runtime/executive/precise-clock.ts'
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
