import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DEFAULT_TUNING_SETTINGS, type RegisterWrite } from '../../drivers/sensors/vl53l0x/init-sequence.ts'
import { Vl53l0x } from '../../drivers/sensors/vl53l0x/vl53l0x.ts'
import { VirtualClock } from '../../runtime/virtual-clock.ts'
import { scriptedI2cDevice, type ScriptedTransaction } from '../helpers/scripted-i2c.ts'

// The bus traffic of init() and one single-shot measurement, in the order of ST's API
// (DataInit, StaticInit, PerformRefCalibration, PerformSingleRangingMeasurement) as Pololu's
// VL53L0X.cpp performs it. Register numbers are written out here; only DefaultTuningSettings
// is taken from the driver's table (its content is checked in vl53l0x-conversion.test.ts).

const write = (...bytes: number[]): ScriptedTransaction => ({ write: bytes })
const read = (register: number, ...reply: number[]): ScriptedTransaction => ({ writeRead: [register], reply })
const writes = (table: readonly RegisterWrite[]): ScriptedTransaction[] => table.map(([register, value]) => write(register, value))

const STOP_VARIABLE = 0x3c

const IDENTITY = [read(0xc0, 0xee)]

const DATA_INIT = [
  read(0x89, 0x00), write(0x89, 0x01), // 2V8 I/O
  write(0x88, 0x00), // I2C standard mode
  write(0x80, 0x01), write(0xff, 0x01), write(0x00, 0x00),
  read(0x91, STOP_VARIABLE),
  write(0x00, 0x01), write(0xff, 0x00), write(0x80, 0x00),
  read(0x60, 0x00), write(0x60, 0x12), // MSRC_CONFIG_CONTROL: MSRC and pre-range limit checks off
  write(0x01, 0xff), // every sequence step on
]

const SPAD_INFO = [
  write(0x80, 0x01), write(0xff, 0x01), write(0x00, 0x00), write(0xff, 0x06),
  read(0x83, 0x00), write(0x83, 0x04),
  write(0xff, 0x07), write(0x81, 0x01), write(0x80, 0x01), write(0x94, 0x6b), write(0x83, 0x00),
  read(0x83, 0x01), // NVM read done
  write(0x83, 0x01),
  read(0x92, 0x85), // five aperture SPADs
  write(0x81, 0x00), write(0xff, 0x06),
  read(0x83, 0x04), write(0x83, 0x00),
  write(0xff, 0x01), write(0x00, 0x01), write(0xff, 0x00), write(0x80, 0x00),
]

const REFERENCE_SPADS = [
  read(0xb0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
  write(0xff, 0x01), write(0x4f, 0x00), write(0x4e, 0x2c), write(0xff, 0x00), write(0xb6, 0xb4),
  write(0xb0, 0x00, 0xf0, 0x01, 0x00, 0x00, 0x00), // SPADs 12..16
]

const AFTER_TUNING = [
  write(0x44, 0x00, 0x20), // signal rate limit 0.25 MCPS, Q9.7
  write(0x0a, 0x04), read(0x84, 0x11), write(0x84, 0x01), write(0x0b, 0x01), // interrupt: new sample ready, active low
  write(0x01, 0xe8),
  read(0x50, 0x06), read(0x46, 0x25), read(0x51, 0x00, 0x96), read(0x70, 0x04),
  write(0x71, 0x02, 0x8e), // 33 ms budget (worked in vl53l0x-conversion.test.ts)
  write(0x01, 0x01), write(0x00, 0x41), read(0x13, 0x04), write(0x0b, 0x01), write(0x00, 0x00), // VHV calibration
  write(0x01, 0x02), write(0x00, 0x01), read(0x13, 0x04), write(0x0b, 0x01), write(0x00, 0x00), // phase calibration
  write(0x01, 0xe8),
]

const SINGLE_SHOT = [
  write(0x80, 0x01), write(0xff, 0x01), write(0x00, 0x00), write(0x91, STOP_VARIABLE),
  write(0x00, 0x01), write(0xff, 0x00), write(0x80, 0x00),
  write(0x00, 0x01), // SYSRANGE_START: single shot
  read(0x00, 0x00), // start taken
  read(0x13, 0x04), // after the budget: new sample ready
  // status 11 << 3, SPADs, signal 10 MCPS (0x0500), ambient 0, range 500 mm (0x01F4)
  { writeRead: [0x14], reply: [0x58, 0, 0x0a, 0x00, 0, 0, 0x05, 0x00, 0, 0, 0x01, 0xf4] },
  write(0x0b, 0x01),
]

test('init checks the model id, runs the API bring-up, and one sample is a single-shot measurement', async () => {
  const clock = new VirtualClock()
  const device = scriptedI2cDevice(0x29, [
    ...IDENTITY, ...DATA_INIT, ...SPAD_INFO, ...REFERENCE_SPADS, ...writes(DEFAULT_TUNING_SETTINGS), ...AFTER_TUNING, ...SINGLE_SHOT,
  ])
  const sensor = new Vl53l0x(device, clock)
  await sensor.init()
  const sampling = sensor.sample()
  await clock.advance(33)
  const reading = await sampling
  device.done()
  assert.deepEqual(reading, { atMs: 33, quality: 'good', distanceM: 0.5, signalRateMcps: 10 })
})

test('init stops after the identity check when the model id is wrong', async () => {
  const device = scriptedI2cDevice(0x29, [read(0xc0, 0xaa)])
  await assert.rejects(new Vl53l0x(device, new VirtualClock()).init(), { name: 'DriverError', kind: 'identity' })
  device.done()
})
