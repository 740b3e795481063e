import * as z from 'zod'

/**
 * Board definitions are data (STYLE.md §4): logical names → wiring. GPIO lines are BCM numbers,
 * never header pins or sysfs numbers (ARCHITECTURE.md decision 4); `header` documents the pin.
 */
const name = z.string().regex(/^[a-z][a-zA-Z0-9-]*$/, 'must start with a lowercase letter and use letters, digits and -')

export const GpioLine = z.strictObject({
  line: z.number().int().min(0).max(63).describe('BCM GPIO line number'),
  header: z.number().int().min(1).max(40).optional().describe('physical header pin, for people wiring the board'),
  direction: z.enum(['in', 'out']),
  edge: z.enum(['rising', 'falling', 'both']).optional(),
  activeLow: z.boolean().optional(),
  notes: z.string().optional(),
})

export const I2cDeviceWiring = z.strictObject({
  chip: z.string().min(1),
  address: z.number().int().min(0x03).max(0x77),
  notes: z.string().optional(),
})

export const I2cBusWiring = z.strictObject({
  bus: z.number().int().min(0).describe('Linux bus number: /dev/i2c-N'),
  devices: z.record(name, I2cDeviceWiring).default({}),
  notes: z.string().optional(),
})

export const SerialWiring = z.strictObject({
  path: z.string().min(1),
  baudRate: z.number().int().positive(),
  notes: z.string().optional(),
})

export const BoardDefinition = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal(1),
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  platform: z.enum(['linux', 'sim']),
  description: z.string().optional(),
  gpio: z.record(name, GpioLine).default({}),
  i2c: z.record(name, I2cBusWiring).default({}),
  serial: z.record(name, SerialWiring).default({}),
  notes: z.string().optional(),
})
export type BoardDefinition = z.infer<typeof BoardDefinition>
