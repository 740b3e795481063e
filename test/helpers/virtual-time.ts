import assert from 'node:assert/strict'
import { i2cDevice, type I2cDevice } from '../../drivers/hal/i2c.ts'
import { SimI2cBus, type SimI2cChip } from '../../drivers/sim/sim-i2c-bus.ts'
import { VirtualClock } from '../../runtime/virtual-clock.ts'

/**
 * Runs `work` while `clock` moves `ms` forward, so that the sleeps and timeouts inside it elapse,
 * and returns what it settled to.
 *
 * The work must have settled once the clock has advanced (the clock's `advance` lets the promise
 * chains its timers start run to completion): if it is still pending the test fails with
 * "still pending after `ms` ms" instead of hanging. A rejection is rethrown as it is, so
 * `assert.rejects(settleWithin(...), ...)` checks the work's own error.
 *
 * @param clock The clock the code under test sleeps on.
 * @param work The operation, already started (e.g. `driver.sample()`).
 * @param ms How much virtual time to let pass, in ms.
 * @returns The value `work` resolved to.
 */
export async function settleWithin<T>(clock: VirtualClock, work: Promise<T>, ms: number): Promise<T> {
  let outcome: { value: T } | { error: unknown } | undefined
  work.then(
    value => (outcome = { value }),
    (error: unknown) => (outcome = { error }),
  )
  await clock.advance(ms)
  assert.ok(outcome !== undefined, `still pending after ${ms} ms`)
  if ('error' in outcome) throw outcome.error
  return outcome.value
}

/**
 * Asserts that `actual` is within `tolerance` of `expected` (|actual − expected| ≤ tolerance).
 * An undefined or NaN `actual` fails.
 *
 * @param actual The measured value (an optional reading field may be passed as it is).
 * @param expected The value it should be close to.
 * @param tolerance The largest difference allowed, inclusive.
 * @param what The quantity, for the failure message (e.g. 'temperatureC').
 */
export function assertNear(actual: number | undefined, expected: number, tolerance: number, what: string): void {
  assert.ok(
    actual !== undefined && Math.abs(actual - expected) <= tolerance,
    `${what}: ${actual} is not within ${tolerance} of ${expected}`,
  )
}

/** What {@link simI2cSetup} builds for one test. */
export interface SimI2cRig<Chip extends SimI2cChip, Driver> {
  readonly clock: VirtualClock
  readonly bus: SimI2cBus
  readonly chip: Chip
  readonly driver: Driver
}

/**
 * A fresh virtual clock, a simulated I2C bus on it, one chip emulator attached to the bus, and a
 * driver talking to that chip at its address: the usual rig of a driver test.
 *
 * @param makeChip Builds the emulator (given the clock, for chips that keep time).
 * @param makeDriver Builds the driver on the chip's I2C device and the clock.
 */
export function simI2cSetup<Chip extends SimI2cChip, Driver>(
  makeChip: (clock: VirtualClock) => Chip,
  makeDriver: (device: I2cDevice, clock: VirtualClock) => Driver,
): SimI2cRig<Chip, Driver> {
  const clock = new VirtualClock()
  const bus = new SimI2cBus(clock)
  const chip = makeChip(clock)
  bus.attach(chip)
  const driver = makeDriver(i2cDevice(bus, chip.address), clock)
  return { clock, bus, chip, driver }
}
