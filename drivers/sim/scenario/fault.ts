/**
 * Faults a scenario injects into the simulated board, by board device name ("distance",
 * "lidar"). The board implements SimFaultControls (drivers/sim/sim-board.ts maps names to a bus
 * and address, or to a serial line); a scenario only names the device.
 */

/** Fail the next `count` I2C transactions with this HalErrorKind. */
export type TransactionFaultKind = 'nack' | 'timeout' | 'bus'

export const FAULT_KINDS = ['nack', 'timeout', 'bus', 'stuck', 'lock-up', 'disconnect', 'clear'] as const
export type FaultKind = (typeof FAULT_KINDS)[number]

/** Which kinds make sense on which kind of device (checked by scenarioDeviceIssues). */
export const FAULT_KINDS_BY_BUS = {
  i2c: ['nack', 'timeout', 'bus', 'stuck', 'lock-up', 'clear'],
  serial: ['disconnect', 'clear'],
} as const satisfies Record<string, readonly FaultKind[]>
export type DeviceBus = keyof typeof FAULT_KINDS_BY_BUS

export type FaultSpec =
  | { readonly device: string; readonly kind: TransactionFaultKind; readonly count: number }
  | { readonly device: string; readonly kind: 'stuck'; readonly value: number }
  | { readonly device: string; readonly kind: 'lock-up' | 'disconnect' | 'clear' }

/**
 * The simulated board's fault controls, by device name.
 *
 * Contract: each call takes effect before it returns (or before its promise resolves); a device
 * name the board does not have is a programmer error (RangeError), since scenarios are checked
 * against the board's devices before they run (scenarioDeviceIssues).
 */
export interface SimFaultControls {
  /** The device's next `count` transactions fail with `kind`. */
  i2cFault(device: string, kind: TransactionFaultKind, count: number): void | Promise<void>
  /** Every read from the device returns `value` in each byte until clear(). */
  stick(device: string, value: number): void | Promise<void>
  /** The device's bus locks up (SDA held low): every transaction times out until clear(). */
  lockUp(device: string): void | Promise<void>
  /** Pulls a serial device's cable until clear(). */
  disconnect(device: string): void | Promise<void>
  /** Ends every standing fault on the device (stuck value, lock-up, disconnection). */
  clear(device: string): void | Promise<void>
}

export async function applyFault(controls: SimFaultControls, fault: FaultSpec): Promise<void> {
  switch (fault.kind) {
    case 'nack':
    case 'timeout':
    case 'bus':
      return controls.i2cFault(fault.device, fault.kind, fault.count)
    case 'stuck':
      return controls.stick(fault.device, fault.value)
    case 'lock-up':
      return controls.lockUp(fault.device)
    case 'disconnect':
      return controls.disconnect(fault.device)
    case 'clear':
      return controls.clear(fault.device)
  }
}
