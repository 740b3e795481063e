import type { Level, OutputPin } from '../hal/gpio.ts'
import { gpioClosedError, gpioIoError, type LineInfo } from './gpio-errno.ts'
import type { Onoff } from './onoff-loader.ts'

export interface OutputOptions {
  /** Level 1 drives the line low. Default false. */
  readonly activeLow?: boolean
  /** The level a line that is not yet an output starts at; default 0 (inactive). */
  readonly initial?: Level
}

/** An OutputPin over an exported onoff Gpio; close() unexports it (the line keeps its level). */
export class OnoffOutputPin implements OutputPin {
  readonly #gpio: InstanceType<Onoff['Gpio']>
  readonly #info: LineInfo
  #closed = false

  constructor(gpio: InstanceType<Onoff['Gpio']>, info: LineInfo) {
    this.#gpio = gpio
    this.#info = info
  }

  async write(level: Level): Promise<void> {
    if (this.#closed) throw gpioClosedError(this.#info)
    try {
      await this.#gpio.write(level)
    } catch (error) {
      throw gpioIoError(error, this.#info, 'write')
    }
  }

  writeSync(level: Level): void {
    if (this.#closed) throw gpioClosedError(this.#info)
    try {
      this.#gpio.writeSync(level)
    } catch (error) {
      throw gpioIoError(error, this.#info, 'write')
    }
  }

  async read(): Promise<Level> {
    if (this.#closed) throw gpioClosedError(this.#info)
    try {
      return await this.#gpio.read()
    } catch (error) {
      throw gpioIoError(error, this.#info, 'read')
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    this.#gpio.unexport()
  }
}
