import type { Clock } from '../hal/clock.ts'
import type { InputPin, Level, OutputPin } from '../hal/gpio.ts'
import { findGpioBase, type FindGpioBaseOptions, type GpioBase } from './gpiochip.ts'
import { gpioOpenError, type LineInfo } from './gpio-errno.ts'
import { loadOnoff, type Onoff } from './onoff-loader.ts'
import { OnoffInputPin, type InputOptions } from './onoff-input-pin.ts'
import { OnoffOutputPin, type OutputOptions } from './onoff-output-pin.ts'

export type { InputOptions } from './onoff-input-pin.ts'
export type { OutputOptions } from './onoff-output-pin.ts'

export interface OnoffGpioOptions extends FindGpioBaseOptions {
  /** Stamps edges and paces debounce. */
  readonly clock: Clock
}

/** GPIO lines of the board's header chip, by BCM line number, through onoff (sysfs). */
export interface OnoffGpio {
  /** The chip base that BCM numbers are added to, and where it came from (log it at startup). */
  readonly base: GpioBase
  /** Exports `line` as an input. Synchronous like onoff's constructor: open pins before the scheduler starts. */
  input(line: number, options?: InputOptions): InputPin
  /** Exports `line` as an output without glitching one that already drives (see OutputOptions). */
  output(line: number, options?: OutputOptions): OutputPin
}

/**
 * Opens GPIO through onoff, from any thread (the runtime opens hardware in its rt worker).
 *
 * - Board files hold BCM numbers; onoff wants the kernel's global number, base + line, and the
 *   base is read from sysfs (findGpioBase: 512 on a Pi 4 and 571 on a Pi 5 with kernels 6.6+), or
 *   given as `base`. `sysfsRoot` and `labels` are for that lookup only: onoff itself always uses
 *   /sys/class/gpio.
 * - onoff is loaded here, lazily, without its epoll addon, which cannot work off the main thread
 *   (onoff-loader.ts). Edges come from inotify on the line's sysfs `value` file, which the kernel
 *   notifies on every edge it is set to report; they are stamped with the Clock and debounced on
 *   it by the adapter (edge-watchers.ts). onoff's own debounceTimeout is not used: it runs on
 *   real timers, and reports a trailing read even when the level did not change.
 * - Export errors become HalError: EINVAL (a wrong base, onoff#200) 'not-supported'; EACCES
 *   (not in the gpio group) and EBUSY (claimed by a driver) 'busy'.
 */
export async function openOnoffGpio(options: OnoffGpioOptions): Promise<OnoffGpio> {
  const base = await findGpioBase(options)
  const onoff = await loadOnoff()
  const info = (line: number): LineInfo => {
    if (!Number.isInteger(line) || line < 0 || (base.lines !== undefined && line >= base.lines)) {
      throw new RangeError(`BCM line must be an integer 0..${(base.lines ?? Infinity) - 1}, got ${line} (chip ${base.source})`)
    }
    return { line, number: base.base + line, baseSource: base.source }
  }
  return {
    base,
    input: (line, inputOptions = {}) => {
      const lineInfo = info(line)
      return new OnoffInputPin(exported(() => newInput(onoff, lineInfo.number, inputOptions), lineInfo), lineInfo, options.clock, inputOptions)
    },
    output: (line, outputOptions = {}) => {
      const lineInfo = info(line)
      return new OnoffOutputPin(exported(() => newOutput(onoff, lineInfo.number, outputOptions), lineInfo), lineInfo)
    },
  }
}

type Gpio = InstanceType<Onoff['Gpio']>

function exported(create: () => Gpio, info: LineInfo): Gpio {
  try {
    return create()
  } catch (error) {
    throw gpioOpenError(error, info)
  }
}

function newInput(onoff: Onoff, number: number, options: InputOptions): Gpio {
  return new onoff.Gpio(number, 'in', options.edge ?? 'both', { activeLow: options.activeLow ?? false })
}

/**
 * sysfs `direction` takes the electrical level ('high' / 'low' set the raw value), so an
 * active-low line's initial level is inverted here; `initial` defaults to inactive (0), never
 * to whatever 'out' would drive. With reconfigureDirection: false onoff leaves a line that is
 * already an output alone, so a restarted runtime does not glitch an actuator
 * (dependencies.md §1); `initial` then does not apply.
 */
function newOutput(onoff: Onoff, number: number, options: OutputOptions): Gpio {
  const activeLow = options.activeLow ?? false
  const electrical: Level = activeLow ? (options.initial === 1 ? 0 : 1) : options.initial ?? 0
  return new onoff.Gpio(number, electrical === 1 ? 'high' : 'low', 'none', { activeLow, reconfigureDirection: false })
}
