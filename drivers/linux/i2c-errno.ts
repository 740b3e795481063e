import { HalError, type HalErrorKind } from '../hal/errors.ts'

/**
 * errno → kind for Linux I2C (i2c-dev) errors. Adapter drivers differ in what they return for the
 * same fault, so this table is the only place that knows (shared/reference/dependencies.md §2).
 */
export const KIND_BY_ERRNO: Readonly<Record<string, HalErrorKind>> = {
  EREMOTEIO: 'nack', // the Pi's i2c-bcm2835 for a NACK (fivdi/i2c-bus#76, #57)
  ENXIO: 'nack', // address-phase NACK (kernel Documentation/i2c/fault-codes; i2c-bus#25)
  EIO: 'nack', // some adapters for a missing device (i2c-bus#25)
  ENODEV: 'nack', // i2c-stub's stub_xfer when no chip has the address
  ETIMEDOUT: 'timeout', // clock stretching too long, or SDA held low
  EAGAIN: 'bus', // arbitration lost (fault-codes)
  EBUSY: 'busy', // the adapter or address is in use
  ENOENT: 'not-supported', // no /dev/i2c-N: the bus is not enabled
  EOPNOTSUPP: 'not-supported', // the adapter lacks the transfer (i2c-stub: plain I2C read()/write())
  ENOTSUP: 'not-supported',
  EACCES: 'busy', // not ours to use: see the permissions hint in the message
  EPERM: 'busy',
}

const HINT_BY_ERRNO: Readonly<Record<string, string>> = {
  EACCES: 'permission denied: add the user to the i2c group (sudo adduser $USER i2c) and log in again',
  EPERM: 'permission denied: add the user to the i2c group (sudo adduser $USER i2c) and log in again',
  ENOENT: 'the I2C bus is not enabled (Raspberry Pi: sudo raspi-config nonint do_i2c 0, or dtparam=i2c_arm=on in config.txt)',
  EOPNOTSUPP: 'the adapter cannot do this transfer',
}

/** The HalError for a failure of one library call; the library's error is the cause. */
export function i2cHalError(error: unknown, where: string): HalError {
  if (error instanceof HalError) return error
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  const kind = (code === undefined ? undefined : KIND_BY_ERRNO[code]) ?? 'other'
  const detail = error instanceof Error ? error.message : String(error)
  const hint = code === undefined ? undefined : HINT_BY_ERRNO[code]
  return new HalError(kind, `${where}: ${detail}${hint === undefined ? '' : ` (${hint})`}`, { cause: error })
}
