import type { Clock } from '../../hal/clock.ts'
import { portOf, type SensorDescriptor, type SensorPort } from '../sensor.ts'
import { Max30102 } from './max30102.ts'
import { CHANNELS, type Max30102Reading } from './reading.ts'
import { I2C_ADDRESS } from './registers.ts'
import { max30102Settings, type Max30102Settings } from './settings.ts'

export { Max30102 } from './max30102.ts'
export type { Max30102Reading } from './reading.ts'
export type { Max30102Settings } from './settings.ts'

/** The MAX30102 as data: what drivers/sensors/registry.ts lists and boards are checked against. */
export const max30102: SensorDescriptor<Max30102Reading, Max30102Settings> = {
  chip: 'max30102',
  description: 'Maxim MAX30102 pulse oximeter and heart-rate sensor (red/IR PPG): heart rate, SpO2, perfusion index',
  bus: 'i2c',
  // The address is fixed ("I2C Timing Characteristics": write 0xAE, read 0xAF).
  addresses: [I2C_ADDRESS],
  channels: CHANNELS,
  settings: max30102Settings,
  // One FIFO sample at 100 sps: draining more often than this returns nothing new.
  minPeriodMs: 10,
  create: (port: SensorPort, clock: Clock, settings: Max30102Settings) => new Max30102(portOf('max30102', port, 'i2c').device, clock, settings),
}
