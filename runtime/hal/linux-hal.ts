import type { BoardDefinition } from '../../boards/schema.ts'
import type { Clock } from '../../drivers/hal/clock.ts'
import type { I2cBus } from '../../drivers/hal/i2c.ts'
import type { SerialLine } from '../../drivers/hal/serial.ts'
import type { Hal, HalNeeds } from './open-hal.ts'

/**
 * The hardware of a Linux board: i2c-bus for each I2C bus, serialport for each serial line, onoff
 * for GPIO. The adapters (and so the native libraries) are loaded only when needed: GPIO when the
 * table uses an input or the board declares an output (every output is driven to its safe level). Buses and lines are opened
 * before the scheduler starts; a GPIO pin is exported when it is first asked for (boot does that
 * before start, too: onoff's export is synchronous).
 */
export async function openLinuxHal(board: BoardDefinition, clock: Clock, needs: HalNeeds): Promise<Hal> {
  const opened: { close(): Promise<void> }[] = []
  const closeAll = async (): Promise<void> => {
    for (const handle of opened.reverse()) await handle.close().catch(() => undefined)
  }
  try {
    const buses = await openBuses(board, clock, needs, opened)
    const lines = await openLines(board, clock, needs, opened)
    const usesGpio = needs.gpio.length > 0 || Object.values(board.gpio).some(line => line.direction === 'out')
    const gpio = !usesGpio ? undefined : await (await import('../../drivers/linux/onoff-gpio.ts')).openOnoffGpio({ clock })
    const wiring = (name: string): BoardDefinition['gpio'][string] => found(board.gpio[name], `board '${board.id}' has no GPIO "${name}"`)
    const pins = (): NonNullable<typeof gpio> => found(gpio, 'GPIO was not opened: the table declared no GPIO use')
    return {
      sim: undefined,
      i2c: name => found(buses.get(name), `I2C bus "${name}" was not opened`),
      serial: name => found(lines.get(name), `serial line "${name}" was not opened`),
      input: name => {
        const { line, edge, activeLow, debounceMs } = wiring(name)
        return track(opened, pins().input(line, { ...(edge === undefined ? {} : { edge }), ...(activeLow === undefined ? {} : { activeLow }), ...(debounceMs === undefined ? {} : { debounceMs }) }))
      },
      output: (name, initial) => {
        const { line, activeLow } = wiring(name)
        return track(opened, pins().output(line, { ...(activeLow === undefined ? {} : { activeLow }), ...(initial === undefined ? {} : { initial }) }))
      },
      start: () => undefined,
      close: closeAll,
    }
  } catch (error) {
    await closeAll()
    throw error
  }
}

async function openBuses(board: BoardDefinition, clock: Clock, needs: HalNeeds, opened: { close(): Promise<void> }[]): Promise<Map<string, I2cBus>> {
  const buses = new Map<string, I2cBus>()
  if (needs.i2c.length === 0) return buses
  const { openLinuxI2cBus } = await import('../../drivers/linux/linux-i2c-bus.ts')
  for (const name of needs.i2c) {
    const wiring = found(board.i2c[name], `board '${board.id}' has no I2C bus "${name}"`)
    buses.set(name, track(opened, await openLinuxI2cBus(wiring.bus, { clock })))
  }
  return buses
}

async function openLines(board: BoardDefinition, clock: Clock, needs: HalNeeds, opened: { close(): Promise<void> }[]): Promise<Map<string, SerialLine>> {
  const lines = new Map<string, SerialLine>()
  if (needs.serial.length === 0) return lines
  const { openSerialportLine } = await import('../../drivers/linux/serialport-line.ts')
  for (const name of needs.serial) {
    const wiring = found(board.serial[name], `board '${board.id}' has no serial line "${name}"`)
    lines.set(name, track(opened, await openSerialportLine({ path: wiring.path, baudRate: wiring.baudRate, clock })))
  }
  return lines
}

function track<T extends { close(): Promise<void> }>(opened: { close(): Promise<void> }[], handle: T): T {
  opened.push(handle)
  return handle
}

function found<T>(value: T | undefined, message: string): T {
  if (value === undefined) throw new RangeError(message)
  return value
}
