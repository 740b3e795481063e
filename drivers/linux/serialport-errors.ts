import { HalError, type HalErrorKind } from '../hal/errors.ts'

/**
 * Why a serial port would not open, as a HalError kind. This table is the only place that knows
 * the wording.
 *
 * @serialport/bindings-cpp reports open failures on Linux as plain Errors whose message holds the
 * strerror() text and that carry no `code` (src/serialport_unix.cpp: "Error: %s, cannot open %s",
 * and "Error %s Cannot lock port" when flock() finds the port held). Node-style errors carry a
 * `code`, so that is looked at first. MockBinding (SerialPortMock) words the same two cases its own
 * way ("Port does not exist", "Port is locked cannot open"); they are mapped too, so the mock and
 * the real binding behave as equals.
 */
const KIND_BY_CODE: Readonly<Record<string, HalErrorKind>> = {
  ENOENT: 'not-supported',
  EBUSY: 'busy',
}

const KIND_BY_WORDING: readonly (readonly [RegExp, HalErrorKind])[] = [
  [/No such file or directory|Port does not exist/i, 'not-supported'],
  [/Device or resource busy|Cannot lock port|Port is locked/i, 'busy'],
]

/** 'not-supported' when there is no such port, 'busy' when it is held (EBUSY, lock), else 'bus'. */
export function openErrorKind(error: unknown): HalErrorKind {
  const code = (error as { code?: unknown } | null)?.code
  const byCode = typeof code === 'string' ? KIND_BY_CODE[code] : undefined
  if (byCode !== undefined) return byCode
  const message = error instanceof Error ? error.message : String(error)
  return KIND_BY_WORDING.find(([wording]) => wording.test(message))?.[1] ?? 'bus'
}

/** The HalError for a port that would not open: names the path, keeps the binding's error as cause. */
export function openError(path: string, error: unknown): HalError {
  const kind = openErrorKind(error)
  const detail = error instanceof Error ? error.message : String(error)
  return new HalError(kind, `${path}: ${OPEN_FAILURE_BY_KIND[kind] ?? 'cannot open'} (${detail})`, { cause: error })
}

const OPEN_FAILURE_BY_KIND: Partial<Record<HalErrorKind, string>> = {
  'not-supported': 'no such port',
  busy: 'port is in use by another process',
}
