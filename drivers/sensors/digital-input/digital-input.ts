import type { Clock } from '../../hal/clock.ts'
import type { InputPin, Level } from '../../hal/gpio.ts'
import { DriverError, io, type Reading, type Sensor } from '../sensor.ts'

const CHIP = 'digital-input'

/** A switch, button or any logic-level input, as a reading. */
export interface DigitalInputReading extends Reading {
  /** The settled level (active-low already applied: a pressed active-low button is 1). */
  readonly level: Level
  /** Settled changes since the previous sample: a press and release between two samples is 2. */
  readonly changes: number
}

/**
 * A GPIO input sampled like a sensor. The pin comes from the HAL configured as the board says
 * (edge, active-low, debounce), so a bouncing contact is debounced there, on the runtime clock.
 * init() reads the level and starts watching both edges; sample() returns the newest settled
 * level and how many times it changed since the previous sample, so a press shorter than the
 * sampling period is still seen. A read failure rejects with DriverError 'io'.
 */
export class DigitalInput implements Sensor<DigitalInputReading> {
  readonly #pin: InputPin
  readonly #clock: Clock
  #level: Level | undefined
  #changes = 0
  #unwatch: (() => void) | undefined

  constructor(pin: InputPin, clock: Clock) {
    this.#pin = pin
    this.#clock = clock
  }

  async init(): Promise<void> {
    this.#unwatch?.()
    this.#unwatch = undefined
    this.#level = await io(CHIP, 'init', () => this.#pin.read())
    this.#changes = 0
    this.#unwatch = await io(CHIP, 'init', async () =>
      this.#pin.watch('both', level => {
        if (level === this.#level) return
        this.#level = level
        this.#changes++
      }),
    )
  }

  async sample(): Promise<DigitalInputReading> {
    if (this.#unwatch === undefined || this.#level === undefined) throw new DriverError(CHIP, 'sample', 'usage', 'init() has not completed')
    const reading: DigitalInputReading = { atMs: this.#clock.now(), quality: 'good', level: this.#level, changes: this.#changes }
    this.#changes = 0
    return Object.freeze(reading)
  }

  async close(): Promise<void> {
    this.#unwatch?.()
    this.#unwatch = undefined
  }
}
