import type { BoardDefinition } from '../../boards/schema.ts'
import type { Clock } from '../../drivers/hal/clock.ts'
import type { InputPin, Level, OutputPin } from '../../drivers/hal/gpio.ts'
import type { I2cBus } from '../../drivers/hal/i2c.ts'
import type { SerialLine } from '../../drivers/hal/serial.ts'
import { SIM_CHIPS } from '../../drivers/sim/chips/registry.ts'
import { SimBoard } from '../../drivers/sim/sim-board.ts'

/**
 * The hardware of one board, opened: buses and lines by their board names. The runtime sees
 * the same thing on the simulated board and on a Pi; only `sim` tells them apart.
 */
export interface Hal {
  i2c(busName: string): I2cBus
  serial(lineName: string): SerialLine
  /** A board GPIO by name, configured as the board says (edge, active-low, debounce). */
  input(name: string): InputPin
  /** A board output by name; a line that is not yet an output starts at `initial` (default 0). */
  output(name: string, initial?: Level): OutputPin
  /** The simulated devices, on a `sim` board (scenarios and tests drive them). */
  readonly sim: SimBoard | undefined
  /** Starts what runs by itself (simulated streaming devices). */
  start(): void
  close(): Promise<void>
}

/** What a table uses, by board name: a Linux board opens only these (the sim board has everything). */
export interface HalNeeds {
  readonly i2c: readonly string[]
  readonly serial: readonly string[]
  readonly gpio: readonly string[]
}

export async function openHal(board: BoardDefinition, clock: Clock, needs: HalNeeds): Promise<Hal> {
  if (board.platform === 'sim') return openSimHal(board, clock)
  const { openLinuxHal } = await import('./linux-hal.ts')
  return openLinuxHal(board, clock, needs)
}

function openSimHal(board: BoardDefinition, clock: Clock): Hal {
  const sim = new SimBoard(board, clock, SIM_CHIPS)
  const gpio = (name: string): BoardDefinition['gpio'][string] => {
    const wiring = board.gpio[name]
    if (wiring === undefined) throw new RangeError(`board '${board.id}' has no GPIO "${name}"`)
    return wiring
  }
  const opened: { close(): Promise<void> }[] = []
  const track = <T extends { close(): Promise<void> }>(handle: T): T => {
    opened.push(handle)
    return handle
  }
  return {
    sim,
    i2c: busName => found(sim.i2cBuses.get(busName), `board '${board.id}' has no I2C bus "${busName}"`),
    serial: lineName => found(sim.serialLines.get(lineName), `board '${board.id}' has no serial line "${lineName}"`),
    input: name => track(sim.gpio.input(gpio(name).line, { debounceMs: gpio(name).debounceMs })),
    output: (name, initial) => track(sim.gpio.output(gpio(name).line, initial ?? 0)),
    start: () => sim.start(),
    close: async () => {
      for (const handle of opened) await handle.close()
      await sim.stop()
      for (const bus of sim.i2cBuses.values()) await bus.close()
      for (const line of sim.serialLines.values()) await line.close()
    },
  }
}


function found<T>(value: T | undefined, message: string): T {
  if (value === undefined) throw new RangeError(message)
  return value
}
