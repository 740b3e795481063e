import { HalError } from '../hal/errors.ts'

/** What the adapter knows about a line, for messages. */
export interface LineInfo {
  readonly line: number
  readonly number: number
  readonly baseSource: string
}

/**
 * The HalError for a failed export or configuration of a sysfs GPIO line, with what to do about
 * it; the library's error is the cause.
 */
export function gpioOpenError(error: unknown, info: LineInfo): HalError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  const line = `BCM ${info.line} (GPIO ${info.number} = ${info.baseSource} + ${info.line})`
  switch (code) {
    case 'EINVAL':
      // The symptom of a wrong base: kernels 6.6+ number the header bank from 512 (Pi 4) or 571
      // (Pi 5), and exporting an old number fails with EINVAL at write (fivdi/onoff#200).
      return new HalError('not-supported', `${line}: export rejected (EINVAL): ${info.number} is not a GPIO of this kernel. Check the chip base (findGpioBase, or the base override)`, { cause: error })
    case 'EACCES':
    case 'EPERM':
      return new HalError('busy', `${line}: permission denied on /sys/class/gpio: run as a member of the gpio group (sudo adduser $USER gpio, then log in again)`, { cause: error })
    case 'EBUSY':
      return new HalError('busy', `${line}: the line is claimed by a kernel driver (a device-tree overlay) or another program (gpiod, a chardev user)`, { cause: error })
    case 'ENOENT':
      return new HalError('not-supported', `${line}: no GPIO sysfs at /sys/class/gpio (a kernel without CONFIG_GPIO_SYSFS)`, { cause: error })
    default:
      return new HalError('other', `${line}: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
  }
}

/** The HalError for a failed read or write of an open line. */
export function gpioIoError(error: unknown, info: LineInfo, what: string): HalError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return new HalError(code === 'EBUSY' ? 'busy' : 'bus', `BCM ${info.line} (GPIO ${info.number}) ${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
}

/** For a pin used after close(). */
export function gpioClosedError(info: LineInfo): HalError {
  return new HalError('closed', `BCM ${info.line} (GPIO ${info.number}) is closed`)
}
