import { ads1115 } from './ads1115/index.ts'
import { bme280 } from './bme280/index.ts'
import { digitalInput } from './digital-input/index.ts'
import { max30102 } from './max30102/index.ts'
import { max30205 } from './max30205/index.ts'
import { mpu6050 } from './mpu6050/index.ts'
import type { SensorDescriptor } from './sensor.ts'
import { tfLuna } from './tf-luna/index.ts'
import { vl53l0x } from './vl53l0x/index.ts'

/**
 * Every chip driver edgert ships, by chip id (the board file's "chip"). Boards and task tables
 * are bound against these descriptors at load: a chip id that is not here, a channel the chip
 * does not have, or settings its schema refuses stop the table before anything starts.
 */
const DESCRIPTORS = [ads1115, bme280, digitalInput, max30102, max30205, mpu6050, tfLuna, vl53l0x] as SensorDescriptor[]

export const SENSOR_DESCRIPTORS: ReadonlyMap<string, SensorDescriptor> = new Map(DESCRIPTORS.map(descriptor => [descriptor.chip, descriptor]))
