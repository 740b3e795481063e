import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { i2cDevice, readRegisters } from '../../../drivers/hal/i2c.ts'
import { RegisterChip } from '../../../drivers/sim/register-chip.ts'
import { SimI2cBus } from '../../../drivers/sim/sim-i2c-bus.ts'
import { arbitratedI2cBus } from '../../../runtime/hal/arbitrated-i2c-bus.ts'
import { periodicTask } from '../../../runtime/scheduler/scheduler.ts'
import { harness, runUntil } from '../../helpers/scheduler-harness.ts'

// A slow device sequence holds the bus 10 ms (exclusive, with a wait inside); while it does, a
// low-priority job and then a high-priority one ask for one transaction each. When the bus is
// free again the high-priority job's transaction goes first, although it asked last.
describe('arbitratedI2cBus', () => {
  it('grants transactions in the scheduler policy order, and holds the bus for a whole exclusive() sequence', async () => {
    const served: string[] = []
    const { clock, scheduler } = harness('priority', clock => {
      const bus = new SimI2cBus(clock).attach(new RegisterChip(0x40))
      const device = () => i2cDevice(arbitratedI2cBus(bus, scheduler.resource('main')), 0x40)
      const read = (id: string) => async () => {
        await readRegisters(device(), 0x00, 1)
        served.push(`${id}@${clock.now()}`)
      }
      return [
        periodicTask({
          id: 'sequence', priority: 1, periodMs: 100, budgetMs: 12,
          run: () => device().exclusive(async inner => {
            await inner.write(Uint8Array.of(0x00, 0x01))
            await scheduler.clock.sleep(10)
            await inner.write(Uint8Array.of(0x01, 0x02))
            served.push(`sequence@${clock.now()}`)
          }),
        }),
        periodicTask({ id: 'low', priority: 2, offsetMs: 1, periodMs: 100, budgetMs: 1, run: read('low') }),
        periodicTask({ id: 'high', priority: 8, offsetMs: 2, periodMs: 100, budgetMs: 1, run: read('high') }),
      ]
    })
    scheduler.start()
    await runUntil(clock, scheduler, 20)
    assert.deepEqual(served, ['sequence@10', 'high@10', 'low@10'])
  })

  it('does not hold the bus while a driver waits between two transactions', async () => {
    const served: string[] = []
    const { clock, scheduler } = harness('priority', clock => {
      const bus = new SimI2cBus(clock).attach(new RegisterChip(0x40))
      const device = () => i2cDevice(arbitratedI2cBus(bus, scheduler.resource('main')), 0x40)
      return [
        periodicTask({
          id: 'converting', priority: 1, periodMs: 100, budgetMs: 12,
          run: async () => {
            await device().write(Uint8Array.of(0x00, 0x01)) // start a conversion
            await scheduler.clock.sleep(10) // conversion time: the bus is free meanwhile
            await readRegisters(device(), 0x00, 1)
            served.push(`converting@${clock.now()}`)
          },
        }),
        periodicTask({ id: 'other', priority: 2, offsetMs: 2, periodMs: 100, budgetMs: 1, run: async () => { await readRegisters(device(), 0x00, 1); served.push(`other@${clock.now()}`) } }),
      ]
    })
    scheduler.start()
    await runUntil(clock, scheduler, 20)
    assert.deepEqual(served, ['other@2', 'converting@10'])
  })
})
