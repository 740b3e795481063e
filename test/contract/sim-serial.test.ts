import { createSimSerialPair } from '../../drivers/sim/sim-serial.ts'
import { VirtualClock } from '../../runtime/virtual-clock.ts'
import { describeSerialLineContract } from './serial-line.contract.ts'

describeSerialLineContract('sim serial pair', async () => {
  const [a, b] = createSimSerialPair(new VirtualClock(), ['sim:a', 'sim:b'])
  return { a, b, close: async () => undefined }
})
