import type { Clock } from '../../hal/clock.ts'
import { DriverError } from '../sensor.ts'
import type { RegisterAccess } from './register-access.ts'

/**
 * How long the driver waits for the chip to finish a step before giving up. The datasheet gives
 * no figure; Pololu's examples set a 500 ms I/O timeout (`sensor.setTimeout(500)`). The wait for
 * a measurement starts once the timing budget has passed, so this is a margin on top of the
 * budget; the calibration runs and the NVM read get the same limit.
 */
export const STEP_TIMEOUT_MS = 500
/** Time between two status reads while waiting (bus load vs. added latency). */
export const POLL_INTERVAL_MS = 2

export interface PollOptions {
  readonly chip: string
  readonly operation: string
  /** What is awaited, for the timeout message: 'measurement', 'VHV calibration'. */
  readonly what: string
  readonly timeoutMs?: number
  readonly signal?: AbortSignal | undefined
}

/**
 * Reads `register` until `done(value)` holds and returns that value. Waits on the Clock between
 * reads; past the timeout it rejects with DriverError kind 'timeout'. An abort rejects with the
 * signal's reason (Clock contract), a bus failure with DriverError kind 'io'.
 */
export async function pollRegister(
  access: RegisterAccess,
  clock: Clock,
  register: number,
  done: (value: number) => boolean,
  options: PollOptions,
): Promise<number> {
  const timeoutMs = options.timeoutMs ?? STEP_TIMEOUT_MS
  const startMs = clock.now()
  for (;;) {
    const value = await access.readU8(register)
    if (done(value)) return value
    if (clock.now() - startMs >= timeoutMs) {
      throw new DriverError(options.chip, options.operation, 'timeout', `${options.what} did not complete within ${timeoutMs} ms`)
    }
    await clock.sleep(POLL_INTERVAL_MS, options.signal)
  }
}
