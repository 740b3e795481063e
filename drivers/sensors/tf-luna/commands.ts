import { COMMAND, ID } from './protocol.ts'

/**
 * A command frame (A05 §6.2): 0x5A, Len, ID, payload, checksum. Len counts the whole frame; the
 * checksum is the low byte of the sum of every byte before it.
 */
export function commandFrame(id: number, payload: readonly number[] = []): Uint8Array {
  const frame = new Uint8Array(COMMAND.MIN_BYTES + payload.length)
  if (frame.length > COMMAND.MAX_BYTES) throw new RangeError(`a command frame holds at most ${COMMAND.MAX_BYTES} bytes`)
  frame.set([COMMAND.HEAD, frame.length, id, ...payload])
  frame[frame.length - 1] = commandChecksum(frame.subarray(0, frame.length - 1))
  return frame
}

/** Low byte of the sum of `bytes` (A05 §6.2). */
export function commandChecksum(bytes: Uint8Array): number {
  return bytes.reduce((sum, byte) => sum + byte, 0) & 0xff
}

/** The commands the driver sends, each with the Appendix II item that defines it. */
export const COMMANDS = {
  /** II.1 ("5A 04 01 00" with the checksum the sensor ignores by default). */
  getVersion: (): Uint8Array => commandFrame(ID.GET_VERSION),
  /** II.2. */
  softReset: (): Uint8Array => commandFrame(ID.SOFT_RESET),
  /** II.3: Freq as uint16 little-endian ("10Hz [5A 06 03 0A 00 00]"). */
  setFrameRate: (frameRateHz: number): Uint8Array => commandFrame(ID.SAMPLE_FREQ, [frameRateHz & 0xff, (frameRateHz >> 8) & 0xff]),
  /** II.7 ("Enable output [5A 05 07 01 00]"). */
  setOutputEnabled: (enabled: boolean): Uint8Array => commandFrame(ID.OUTPUT_EN, [enabled ? 1 : 0]),
  /** II.11 ("5A 04 11 00", §6.2). Writes flash: the driver never sends it on its own. */
  saveSettings: (): Uint8Array => commandFrame(ID.SAVE_SETTINGS),
} as const
