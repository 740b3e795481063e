import * as z from 'zod'
import { portOf, type SensorDescriptor } from '../sensor.ts'
import { DigitalInput, type DigitalInputReading } from './digital-input.ts'

export { DigitalInput, type DigitalInputReading } from './digital-input.ts'

/**
 * Any GPIO input of the board (a switch, a push button, a reed contact, a logic output of
 * another device): every board GPIO with direction "in" can be sampled by name. Debounce,
 * active-low and edges are the board line's own settings.
 */
export const digitalInput: SensorDescriptor<DigitalInputReading, Record<string, never>> = {
  chip: 'digital-input',
  description: 'a GPIO input (switch, button, contact), debounced as the board line says',
  bus: 'gpio',
  addresses: [],
  channels: [
    { name: 'level', unit: '', description: 'settled logic level, 1 = active', min: 0, max: 1 },
    { name: 'changes', unit: '', description: 'settled changes since the previous sample', min: 0, max: Number.MAX_SAFE_INTEGER },
  ],
  settings: z.strictObject({}),
  // Only the scheduler's wake-up bounds it; a button polled faster than 1 kHz gains nothing.
  minPeriodMs: 1,
  create: (port, clock) => new DigitalInput(portOf('digital-input', port, 'gpio').pin, clock),
}
