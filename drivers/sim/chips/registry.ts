import type { SimChipFactories } from '../sim-board.ts'
import { SimAds1115 } from './sim-ads1115.ts'
import { SimBme280 } from './sim-bme280.ts'
import { SimMax30102 } from './sim-max30102.ts'
import { SimMax30205 } from './sim-max30205.ts'
import { SimMpu6050 } from './sim-mpu6050.ts'
import { SimTfLuna } from './sim-tf-luna.ts'
import { SimVl53l0x } from './sim-vl53l0x.ts'

/** The emulator of every chip edgert ships, by chip id: what the simulated board attaches. */
export const SIM_CHIPS: SimChipFactories = {
  i2c: {
    ads1115: (address, clock) => new SimAds1115(address, clock),
    bme280: address => new SimBme280(address),
    max30102: (address, clock) => new SimMax30102(clock, address),
    max30205: (address, clock) => new SimMax30205(address, clock),
    mpu6050: (address, clock) => new SimMpu6050({ address, clock }),
    vl53l0x: (address, clock) => new SimVl53l0x({ address, clock }),
  },
  serial: {
    'tf-luna': (farEnd, clock) => new SimTfLuna(farEnd, clock),
  },
}
