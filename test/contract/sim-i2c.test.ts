import { SimI2cBus } from '../../drivers/sim/sim-i2c-bus.ts'
import { RegisterChip } from '../../drivers/sim/register-chip.ts'
import { VirtualClock } from '../../runtime/virtual-clock.ts'
import { describeI2cBusContract } from './i2c-bus.contract.ts'

/** A register file preloaded with `values` from `first` on. */
class PreloadedChip extends RegisterChip {
  constructor(address: number, first: number, values: Uint8Array) {
    super(address)
    this.registers.set(values, first)
  }
}

describeI2cBusContract('SimI2cBus', async () => {
  const first = 0x80
  const values = Uint8Array.from({ length: 64 }, (_, i) => (i * 7 + 3) & 0xff)
  const bus = new SimI2cBus(new VirtualClock(), { name: 'sim:contract' })
  bus.attach(new PreloadedChip(0x76, first, values))
  return { bus, present: 0x76, absent: 0x50, registers: { first, values }, scratch: 0x10 }
})
