import * as z from 'zod'

/**
 * Board definitions are data (STYLE.md §4): logical names → wiring. GPIO lines are BCM numbers,
 * never header pins or sysfs numbers (ARCHITECTURE.md decision 4); `header` documents the pin.
 * Chips are named by their driver id (drivers/sensors/<chip>/); whether a chip id exists, and
 * whether its settings are valid, is checked against the driver descriptors when a board is bound.
 */
const name = z.string().regex(/^[a-z][a-zA-Z0-9-]*$/, 'must start with a lowercase letter and use letters, digits and -')

/** A signal on the 40-pin header: the BCM line and the physical pin. */
const HeaderSignal = z.strictObject({
  line: z.number().int().min(0).max(63).describe('BCM GPIO line number'),
  header: z.number().int().min(1).max(40).describe('physical header pin'),
})

const settings = z.record(z.string(), z.unknown()).describe("the chip's settings (see its drivers/sensors/<chip>/README.md)")

export const GpioLine = z.strictObject({
  line: z.number().int().min(0).max(63).describe('BCM GPIO line number'),
  header: z.number().int().min(1).max(40).optional().describe('physical header pin, for people wiring the board'),
  direction: z.enum(['in', 'out']),
  edge: z.enum(['rising', 'falling', 'both']).optional(),
  activeLow: z.boolean().optional(),
  debounceMs: z.number().nonnegative().max(1000).optional().describe('inputs: report a change only once the line kept it this long'),
  safe: z
    .union([z.literal(0), z.literal(1)])
    .optional()
    .describe('outputs: the safe level (1 = active), driven at boot before anything else runs, on a safe-state miss and at exit; default 0'),
  notes: z.string().optional(),
})

export const I2cDeviceWiring = z.strictObject({
  chip: z.string().min(1).describe("driver id, e.g. 'bme280'"),
  address: z
    .union([z.number().int(), z.string().regex(/^0x[0-9a-fA-F]{1,2}$/, 'must be a number or a hex string such as "0x76"').transform(hex => Number.parseInt(hex, 16))])
    .pipe(z.number().int().min(0x03, 'must be at least 0x03').max(0x77, 'must be at most 0x77 (7-bit addresses 0x03..0x77)'))
    .describe('7-bit I2C address: a number, or a hex string such as "0x76"'),
  settings: settings.optional(),
  notes: z.string().optional(),
})

export const I2cBusWiring = z.strictObject({
  bus: z.number().int().min(0).describe('Linux bus number: /dev/i2c-N'),
  sda: HeaderSignal.optional(),
  scl: HeaderSignal.optional(),
  devices: z.record(name, I2cDeviceWiring).default({}),
  notes: z.string().optional(),
})

export const SerialWiring = z.strictObject({
  path: z.string().min(1),
  baudRate: z.number().int().positive(),
  chip: z.string().min(1).optional().describe("driver id of the device on this line, e.g. 'tf-luna'"),
  settings: settings.optional(),
  tx: HeaderSignal.optional().describe("the Pi's TXD (to the device's RX)"),
  rx: HeaderSignal.optional().describe("the Pi's RXD (from the device's TX)"),
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
