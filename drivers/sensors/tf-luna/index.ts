import { portOf, type SensorDescriptor } from '../sensor.ts'
import { AMP, FRAME_RATE_HZ, RANGE_M, TEMPERATURE } from './protocol.ts'
import type { TfLunaReading } from './reading.ts'
import { tfLunaSettings, type TfLunaSettings } from './settings.ts'
import { TfLuna } from './tf-luna.ts'

export { TfLuna, REPLY_TIMEOUT_MS } from './tf-luna.ts'
export type { TfLunaReading } from './reading.ts'
export { tfLunaSettings, type TfLunaSettings } from './settings.ts'

/** Benewake TF-Luna (UART): single-point time-of-flight LiDAR. */
export const tfLuna: SensorDescriptor<TfLunaReading, TfLunaSettings> = {
  chip: 'tf-luna',
  description: 'Benewake TF-Luna single-point time-of-flight LiDAR on a UART: distance, signal strength, chip temperature',
  bus: 'serial',
  addresses: [],
  // A05 §6.2: the default, and the rate the driver expects (it never changes it).
  baudRate: 115200,
  channels: [
    { name: 'distanceM', unit: 'm', description: 'distance to the target (90 % reflectivity; 2.5 m for a 10 % target, A05 §3.4)', min: RANGE_M.MIN, max: RANGE_M.MAX },
    { name: 'signalStrength', unit: '', description: 'received signal strength (Amp); under 100 or over 32768 the distance is unreliable (A05 §6.4)', min: 0, max: AMP.MAX },
    // The manual states no temperature limits for the chip reading; this is what the field can encode.
    { name: 'temperatureC', unit: '°C', description: 'temperature of the sensor chip (not the air)', min: -TEMPERATURE.OFFSET_C, max: 0xffff / TEMPERATURE.DIVISOR - TEMPERATURE.OFFSET_C },
  ],
  settings: tfLunaSettings,
  // A new frame comes at most every 4 ms (250 Hz, the fastest rate: A03 §5.5); sampling faster only waits.
  minPeriodMs: 1000 / FRAME_RATE_HZ.MAX,
  create: (port, clock, settings) => new TfLuna(portOf('tf-luna', port, 'serial').line, clock, settings),
}
