import assert from 'node:assert/strict'
import { HalError, type HalErrorKind } from '../../drivers/hal/errors.ts'
import type { I2cDevice } from '../../drivers/hal/i2c.ts'

/** One expected transaction and what the device answers (embedded-hal-mock's I2cTrans). */
export type ScriptedTransaction =
  | { readonly write: readonly number[]; readonly fail?: HalErrorKind }
  | { readonly writeRead: readonly number[]; readonly reply: readonly number[]; readonly fail?: HalErrorKind }
  | { readonly read: number; readonly reply: readonly number[]; readonly fail?: HalErrorKind }

/**
 * An I2cDevice that expects exactly `script`, in order: the first unexpected transaction fails
 * the test (assertion error naming the step), and done() asserts the whole script was used.
 * For checking a driver's init/read sequence against the datasheet's bus traffic.
 */
export function scriptedI2cDevice(address: number, script: readonly ScriptedTransaction[]): I2cDevice & { done(): void } {
  let step = 0
  const next = (what: string, actual: Record<string, unknown>): ScriptedTransaction => {
    const expected = script[step]
    assert.ok(expected !== undefined, `step ${step}: unexpected ${what} ${JSON.stringify(actual)} after the script ended`)
    step++
    return expected
  }
  const failIfAsked = (expected: ScriptedTransaction): void => {
    if (expected.fail !== undefined) throw new HalError(expected.fail, `scripted ${expected.fail} at step ${step - 1}`)
  }
  const device: I2cDevice & { done(): void } = {
    address,
    write: async bytes => {
      const expected = next('write', { write: [...bytes] })
      assert.deepEqual({ write: [...bytes] }, { write: 'write' in expected ? [...expected.write] : expected }, `step ${step - 1}`)
      failIfAsked(expected)
    },
    writeRead: async (bytes, length) => {
      const expected = next('writeRead', { writeRead: [...bytes], length })
      assert.ok('writeRead' in expected, `step ${step - 1}: expected ${JSON.stringify(expected)}, got writeRead ${JSON.stringify([...bytes])} (${length} bytes)`)
      assert.deepEqual([...bytes], [...expected.writeRead], `step ${step - 1}: writeRead bytes`)
      assert.equal(length, expected.reply.length, `step ${step - 1}: writeRead length`)
      failIfAsked(expected)
      return Uint8Array.from(expected.reply)
    },
    read: async length => {
      const expected = next('read', { read: length })
      assert.ok('read' in expected, `step ${step - 1}: expected ${JSON.stringify(expected)}, got read(${length})`)
      assert.equal(length, expected.read, `step ${step - 1}: read length`)
      failIfAsked(expected)
      return Uint8Array.from(expected.reply)
    },
    exclusive: work => work(device),
    done: () => assert.equal(step, script.length, `only ${step} of ${script.length} scripted transactions happened`),
  }
  return device
}
