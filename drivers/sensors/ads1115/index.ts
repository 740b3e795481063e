import { portOf, type ChannelInfo, type SensorDescriptor } from '../sensor.ts'
import { Ads1115 } from './ads1115.ts'
import { sampleTimeMs } from './conversion.ts'
import { CHANNEL_NAMES, type Ads1115Reading } from './reading.ts'
import { ADDRESSES, INPUT_RANGE_V } from './registers.ts'
import { ads1115Settings, DEFAULT_ADS1115_SETTINGS, type Ads1115Settings } from './settings.ts'

export { Ads1115 } from './ads1115.ts'
export { CHANNEL_NAMES, type Ads1115Reading } from './reading.ts'
export { ads1115Settings, type Ads1115Channel, type Ads1115Settings } from './settings.ts'
export { sampleTimeMs } from './conversion.ts'

const channels: ChannelInfo[] = CHANNEL_NAMES.map((name, input) => ({
  name,
  unit: 'V',
  description: `AIN${input} against GND (present when the settings enable channel ${input})`,
  ...INPUT_RANGE_V,
}))

/** TI ADS1115 (I2C): 16-bit ADC, four single-ended inputs. */
export const ads1115: SensorDescriptor<Ads1115Reading, Ads1115Settings> = {
  chip: 'ads1115',
  description: 'Texas Instruments ADS1115 16-bit delta-sigma ADC with PGA, four single-ended inputs',
  bus: 'i2c',
  addresses: ADDRESSES,
  channels,
  settings: ads1115Settings,
  // Four conversions at the default 128 SPS, with the ±10 % data-rate variation; slower rates or
  // fewer channels change it (sampleTimeMs(settings) computes it).
  minPeriodMs: sampleTimeMs(DEFAULT_ADS1115_SETTINGS),
  create: (port, clock, settings) => new Ads1115(portOf('ads1115', port, 'i2c').device, clock, settings),
}
