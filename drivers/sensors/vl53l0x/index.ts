import { portOf, type SensorDescriptor } from '../sensor.ts'
import { DISTANCE_MAX_M, DISTANCE_MIN_M } from './conversion.ts'
import { CHIP } from './registers.ts'
import { vl53l0xSettings, type Vl53l0xSettings } from './settings.ts'
import { Vl53l0x, type Vl53l0xReading } from './vl53l0x.ts'

export { Vl53l0x, type Vl53l0xReading } from './vl53l0x.ts'
export { vl53l0xSettings, type Vl53l0xSettings } from './settings.ts'

/** The VL53L0X as data (README.md beside this file: part, wiring, settings, sources). */
export const vl53l0x: SensorDescriptor<Vl53l0xReading, Vl53l0xSettings> = {
  chip: CHIP,
  description: 'ST VL53L0X time-of-flight laser ranging sensor (940 nm VCSEL, up to 2 m)',
  bus: 'i2c',
  // Datasheet DocID029104 §3: device address 0x52 in 8-bit form, i.e. 0x29. Another address can
  // only be set by software after each power-up (I2C_SLAVE_DEVICE_ADDRESS), which boards do not do.
  addresses: [0x29],
  channels: [
    { name: 'distanceM', unit: 'm', description: 'distance to the target', min: DISTANCE_MIN_M, max: DISTANCE_MAX_M },
    // Q9.7 register: 0..511.99 MCPS.
    { name: 'signalRateMcps', unit: 'MCPS', description: 'return signal rate', min: 0, max: 511.99 },
  ],
  settings: vl53l0xSettings,
  // The shortest timing budget (API: 20 ms); a task must also allow for the budget it configures.
  minPeriodMs: 20,
  create: (port, clock, settings) => new Vl53l0x(portOf(CHIP, port, 'i2c').device, clock, settings),
}
