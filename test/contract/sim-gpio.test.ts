import { SimGpio } from '../../drivers/sim/sim-gpio.ts'
import { VirtualClock } from '../../runtime/virtual-clock.ts'
import { describeGpioContract } from './gpio.contract.ts'

const INPUT_LINE = 4
const OUTPUT_LINE = 17

describeGpioContract('SimGpio', async () => {
  const clock = new VirtualClock()
  const gpio = new SimGpio(clock)
  return {
    clock,
    latencyMs: 0,
    input: async () => gpio.input(INPUT_LINE),
    output: async options => gpio.output(OUTPUT_LINE, options?.initial),
    drive: async level => gpio.drive(INPUT_LINE, level),
    sensed: async () => gpio.level(OUTPUT_LINE),
    elapse: ms => clock.advance(ms),
    close: async () => undefined,
  }
}, { activeLow: false })
