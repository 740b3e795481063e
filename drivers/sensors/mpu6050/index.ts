import { portOf, type SensorDescriptor } from '../sensor.ts'
import { STANDARD_GRAVITY_MPS2, TEMPERATURE_MAX_C, TEMPERATURE_MIN_C } from './conversion.ts'
import { CHIP } from './registers.ts'
import { mpu6050Settings, type Mpu6050Settings } from './settings.ts'
import { Mpu6050, type Mpu6050Reading } from './mpu6050.ts'

export { Mpu6050, type Mpu6050Reading } from './mpu6050.ts'
export { mpu6050Settings, type Mpu6050Settings } from './settings.ts'

/** The widest ranges (±16 g, ±2000 °/s; PS-MPU-6000A-00 §6.1, §6.2): a configured range may be narrower. */
const ACCEL_MAX_MPS2 = 16 * STANDARD_GRAVITY_MPS2
const GYRO_MAX_DPS = 2000

const accel = (axis: string) => ({ name: `accel${axis}Mps2`, unit: 'm/s²', description: `acceleration along ${axis}`, min: -ACCEL_MAX_MPS2, max: ACCEL_MAX_MPS2 })
const gyro = (axis: string) => ({ name: `gyro${axis}Dps`, unit: '°/s', description: `angular rate about ${axis}`, min: -GYRO_MAX_DPS, max: GYRO_MAX_DPS })

/** The MPU-6050 as data (README.md beside this file: part, wiring, settings, sources). */
export const mpu6050: SensorDescriptor<Mpu6050Reading, Mpu6050Settings> = {
  chip: CHIP,
  description: 'InvenSense MPU-6050 3-axis accelerometer and 3-axis gyroscope, with die temperature',
  bus: 'i2c',
  // Register map §4.32: address 0b110100x, the last bit set by the AD0 pin.
  addresses: [0x68, 0x69],
  channels: [
    accel('X'), accel('Y'), accel('Z'), gyro('X'), gyro('Y'), gyro('Z'),
    { name: 'temperatureC', unit: '°C', description: 'die temperature', min: TEMPERATURE_MIN_C, max: TEMPERATURE_MAX_C },
  ],
  settings: mpu6050Settings,
  // PS §6.2: the accelerometer's output data rate is at most 1 kHz.
  minPeriodMs: 1,
  create: (port, clock, settings) => new Mpu6050(portOf(CHIP, port, 'i2c').device, clock, settings),
}
