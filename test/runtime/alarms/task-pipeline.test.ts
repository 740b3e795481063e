import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { SENSOR_DESCRIPTORS } from '../../../drivers/sensors/registry.ts'
import type { Quality, Reading } from '../../../drivers/sensors/sensor.ts'
import { trustOf, type ChannelCell } from '../../../runtime/alarms/channel-cell.ts'
import { channelSpace, taskChannels } from '../../../runtime/alarms/channel-space.ts'
import { TaskPipeline } from '../../../runtime/alarms/task-pipeline.ts'
import { loadBoard } from '../../../runtime/config/load.ts'
import { TaskTable } from '../../../tasks/schema.ts'

// boards/sim.json: lidar is a TF-Luna (distanceM 0.2–8 m, signalStrength, temperatureC),
// distance a VL53L0X (distanceM, signalRateMcps).
const { board } = await loadBoard('sim')

/** A lidar task (period 10 ms, so maxAgeMs 10 unless given); `extra` adds processing, derived… */
const lidarTask = (extra: Record<string, unknown> = {}) => ({ id: 'lidar', kind: 'sample', device: 'lidar', periodMs: 10, budgetMs: 1, ...extra })

/** The pipelines of a table's sample tasks over one shared channel space, as boot builds them. */
function pipelines(tasks: Record<string, unknown>[]) {
  const table = TaskTable.parse({ version: 1, scheduling: { policy: 'priority' }, tasks })
  const channels = taskChannels(table, board, SENSOR_DESCRIPTORS)
  const cells = channelSpace(channels)
  const byTask = new Map<string, TaskPipeline>()
  for (const [taskId, { task, device }] of channels) byTask.set(taskId, new TaskPipeline({ taskId, device, processing: task.processing ?? {}, derived: task.derived ?? [], cells }))
  return {
    pipeline: (taskId: string): TaskPipeline => {
      const found = byTask.get(taskId)
      assert.ok(found !== undefined, taskId)
      return found
    },
    cell: (key: string): ChannelCell => {
      const found = cells.get(key)
      assert.ok(found !== undefined, key)
      return found
    },
  }
}

/** One lidar task's pipeline and its cells by short name. */
function lidar(extra: Record<string, unknown> = {}) {
  const { pipeline, cell } = pipelines([lidarTask(extra)])
  return { pipeline: pipeline('lidar'), cell: (name: string) => cell(`lidar.${name}`) }
}

/** A hand-made reading: `channels` are its unit-named fields. */
function reading(atMs: number, channels: Readonly<Record<string, number>>, quality: Quality = 'good', fault?: string): Reading {
  return { atMs, quality, ...(fault === undefined ? {} : { fault }), ...channels }
}

/** A plausible TF-Luna reading with `distanceM`. */
const frame = (atMs: number, distanceM: number, quality: Quality = 'good', fault?: string): Reading => reading(atMs, { distanceM, signalStrength: 1000, temperatureC: 30 }, quality, fault)

const state = (cell: ChannelCell) => ({ value: cell.value, quality: cell.quality, reason: cell.reason, atMs: cell.atMs })

const near = (actual: number, expected: number, tolerance = 1e-6): void => {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`)
}

const MEDIAN_3 = { processing: { distanceM: { filters: [{ type: 'median', samples: 3 }] } } }

describe('TaskPipeline: device channels', () => {
  it('takes a good reading through a median of 3 into the cell', () => {
    const { pipeline, cell } = lidar(MEDIAN_3)
    const distance = cell('distanceM')
    assert.deepEqual(state(distance), { value: Number.NaN, quality: 'no-data', reason: 'no reading yet', atMs: Number.NEGATIVE_INFINITY })
    const seen: number[] = []
    for (const [atMs, value] of [[0, 5], [10, 5.5], [20, 4], [30, 6]] as const) {
      pipeline.onReading(frame(atMs, value))
      assert.equal(distance.quality, 'good')
      assert.equal(distance.reason, undefined)
      assert.equal(distance.atMs, atMs)
      seen.push(distance.value)
    }
    // the median of what it has (two values: their mean), then of the newest three
    assert.deepEqual(seen, [5, 5.25, 5, 5.5])
    // a channel without processing passes through unchanged
    assert.deepEqual(state(cell('signalStrength')), { value: 1000, quality: 'good', reason: undefined, atMs: 30 })
  })

  it("a value outside the part's range, or not finite, is a fault 'implausible' and does not step the filters", () => {
    // maxAgeMs 30: the faults below are no gap long enough to restart the filters
    const { pipeline, cell } = lidar({ ...MEDIAN_3, maxAgeMs: 30 })
    const distance = cell('distanceM')
    pipeline.onReading(frame(0, 5))
    pipeline.onReading(frame(10, 5.5))
    // the TF-Luna reports 0.2–8 m
    for (const [atMs, value] of [[20, 9.5], [21, 0.1], [22, Number.NaN], [23, Number.POSITIVE_INFINITY]] as const) {
      pipeline.onReading(frame(atMs, value))
      assert.equal(distance.quality, 'fault', String(value))
      assert.equal(distance.reason, 'implausible', String(value))
      assert.equal(distance.atMs, atMs)
      assert.ok(Number.isNaN(distance.ratePerS))
      assert.equal(trustOf(distance, atMs), 'fault')
    }
    assert.equal(cell('signalStrength').quality, 'good', 'only the implausible channel is a fault')
    pipeline.onReading(frame(30, 6))
    // median(5, 5.5, 6): had 9.5 or Infinity entered the window, it would be 6
    assert.deepEqual(state(distance), { value: 5.5, quality: 'good', reason: undefined, atMs: 30 })
  })

  it('a fault listed in faultAs becomes its value as a good reading; a fault not listed stays a fault with its reason', () => {
    const { pipeline, cell } = lidar({ processing: { distanceM: { faultAs: { reasons: ['signal-low'], value: 8 } } } })
    const distance = cell('distanceM')
    // no return: the TF-Luna says 0 cm with a weak signal
    pipeline.onReading(reading(0, { distanceM: 0, signalStrength: 40, temperatureC: 30 }, 'fault', 'signal-low'))
    assert.deepEqual(state(distance), { value: 8, quality: 'good', reason: undefined, atMs: 0 })
    // the other channels have no faultAs: the reading's fault is theirs
    assert.deepEqual([cell('signalStrength').quality, cell('signalStrength').reason], ['fault', 'signal-low'])
    assert.deepEqual([cell('temperatureC').quality, cell('temperatureC').reason], ['fault', 'signal-low'])
    pipeline.onReading(reading(10, { distanceM: 0, signalStrength: 65535, temperatureC: 30 }, 'fault', 'overexposed'))
    assert.equal(distance.quality, 'fault')
    assert.equal(distance.reason, 'overexposed')
    assert.equal(distance.atMs, 10)
    assert.equal(trustOf(distance, 10), 'fault')
  })

  it("a channel missing from a good reading is 'no-data' 'absent'; missing from a faulty one, 'fault' with the reading's reason", () => {
    const { pipeline, cell } = lidar()
    pipeline.onReading(reading(0, { distanceM: 3 }))
    assert.deepEqual(state(cell('distanceM')), { value: 3, quality: 'good', reason: undefined, atMs: 0 })
    for (const name of ['signalStrength', 'temperatureC']) assert.deepEqual([cell(name).quality, cell(name).reason], ['no-data', 'absent'], name)
    pipeline.onReading(reading(10, {}, 'fault', 'checksum'))
    for (const name of ['distanceM', 'signalStrength', 'temperatureC']) assert.deepEqual([cell(name).quality, cell(name).reason], ['fault', 'checksum'], name)
    pipeline.onReading(reading(20, {}, 'fault'))
    assert.deepEqual([cell('distanceM').quality, cell('distanceM').reason], ['fault', 'fault'], 'a fault without a reason still is one')
  })

  it('a stale reading leaves the value and its time as they were, so the cell ages, and the filters are not stepped', () => {
    const { pipeline, cell } = lidar(MEDIAN_3)
    const distance = cell('distanceM')
    pipeline.onReading(frame(0, 5))
    pipeline.onReading(frame(5, 3, 'stale'))
    assert.deepEqual(state(distance), { value: 5, quality: 'good', reason: undefined, atMs: 0 })
    assert.equal(trustOf(distance, 25), 'stale', 'older than maxAgeMs (10) when read')
    pipeline.onReading(frame(10, 6))
    // median(5, 6); had the stale 3 entered the window it would be median(5, 3, 6) = 5
    assert.deepEqual(state(distance), { value: 5.5, quality: 'good', reason: undefined, atMs: 10 })
  })

  it("a failed sample makes every channel, derived ones included, 'no-data' with the error's kind", () => {
    const derived = [
      { name: 'closingSpeedMps', op: 'closing-speed', distance: 'distanceM' },
      { name: 'timeToCollisionS', op: 'time-to-collision', distance: 'distanceM', closingSpeed: 'closingSpeedMps' },
    ]
    const { pipeline, cell } = lidar({ derived })
    pipeline.onReading(frame(0, 5))
    pipeline.onReading(frame(10, 4.9))
    assert.equal(cell('timeToCollisionS').quality, 'good')
    pipeline.onFailure('nack')
    for (const name of ['distanceM', 'signalStrength', 'temperatureC', 'closingSpeedMps', 'timeToCollisionS']) {
      assert.deepEqual([cell(name).quality, cell(name).reason], ['no-data', 'nack'], name)
      assert.ok(Number.isNaN(cell(name).ratePerS), name)
      assert.equal(trustOf(cell(name), 10), 'no-data', name)
    }
  })

  it('ratePerS is the change per second between the two newest good samples (NaN before two)', () => {
    const { pipeline, cell } = lidar()
    const distance = cell('distanceM')
    pipeline.onReading(frame(0, 5))
    assert.ok(Number.isNaN(distance.ratePerS))
    pipeline.onReading(frame(10, 4.5))
    assert.equal(distance.ratePerS, -50)
    pipeline.onReading(frame(20, 4.75))
    assert.equal(distance.ratePerS, 25)
  })

  it('the filters start again from empty after a gap in good values longer than maxAgeMs', () => {
    const averaged = { maxAgeMs: 30, processing: { distanceM: { filters: [{ type: 'moving-average', samples: 3 }] } } }
    const steady = lidar(averaged)
    for (const atMs of [0, 10, 20]) steady.pipeline.onReading(frame(atMs, 1))
    steady.pipeline.onReading(frame(30, 4))
    assert.equal(steady.cell('distanceM').value, 2, 'without a gap: mean(1, 1, 4)')

    const gap = lidar(averaged)
    for (const atMs of [0, 10, 20]) gap.pipeline.onReading(frame(atMs, 1))
    gap.pipeline.onReading(frame(100, 4))
    const distance = gap.cell('distanceM')
    assert.deepEqual(state(distance), { value: 4, quality: 'good', reason: undefined, atMs: 100 }, 'the 1s before the gap are forgotten')
    assert.ok(Number.isNaN(distance.ratePerS), 'no rate across the gap')
    gap.pipeline.onReading(frame(110, 7))
    assert.equal(distance.value, 5.5)
  })

  it('the filters start again after a gap in good values even when faulty readings filled it', () => {
    // docs/alarms.md: "A filter chain that has not seen a good value for longer than the channel's max age starts again from empty."
    const { pipeline, cell } = lidar({ maxAgeMs: 30, processing: { distanceM: { filters: [{ type: 'moving-average', samples: 3 }] } } })
    pipeline.onReading(frame(0, 1))
    pipeline.onReading(frame(10, 1))
    for (let atMs = 20; atMs <= 100; atMs += 10) pipeline.onReading(frame(atMs, Number.NaN)) // 90 ms of implausible values
    pipeline.onReading(frame(110, 4))
    assert.deepEqual(state(cell('distanceM')), { value: 4, quality: 'good', reason: undefined, atMs: 110 }, 'the good values of 110 ms ago are forgotten')
  })

  it('a rate filter gives the channel its rate of change from the second good sample on', () => {
    const { pipeline, cell } = lidar({ processing: { distanceM: { filters: [{ type: 'rate' }] } } })
    const distance = cell('distanceM')
    pipeline.onReading(frame(0, 5))
    assert.deepEqual([distance.quality, distance.reason], ['no-data', 'warming-up'])
    pipeline.onReading(frame(10, 4.5))
    assert.deepEqual(state(distance), { value: -50, quality: 'good', reason: undefined, atMs: 10 })
    pipeline.onReading(frame(20, 4.5))
    assert.deepEqual(state(distance), { value: 0, quality: 'good', reason: undefined, atMs: 20 })
  })
})

describe('TaskPipeline: derived channels', () => {
  const DERIVED = {
    derived: [
      { name: 'closingSpeedMps', op: 'closing-speed', distance: 'distanceM', samples: 4 },
      { name: 'timeToCollisionS', op: 'time-to-collision', distance: 'distanceM', closingSpeed: 'closingSpeedMps' },
    ],
  }

  it('closing speed of a distance falling 8 cm per 10 ms is 8 m/s once two samples are in; time-to-collision is distance ÷ closing speed', () => {
    const { pipeline, cell } = lidar(DERIVED)
    const closing = cell('closingSpeedMps')
    const ttc = cell('timeToCollisionS')
    pipeline.onReading(frame(0, 5))
    assert.deepEqual([closing.quality, closing.reason], ['no-data', 'warming-up'])
    assert.equal(ttc.quality, 'no-data')
    assert.match(ttc.reason ?? '', /lidar\.closingSpeedMps: warming-up/)
    for (let k = 1; k <= 6; k++) {
      const distanceM = 5 - 0.08 * k
      pipeline.onReading(frame(10 * k, distanceM))
      assert.equal(closing.quality, 'good', `sample ${k}`)
      near(closing.value, 8)
      assert.equal(closing.atMs, 10 * k)
      assert.equal(ttc.quality, 'good', `sample ${k}`)
      near(ttc.value, distanceM / 8)
      assert.equal(ttc.atMs, 10 * k)
    }
  })

  it('time-to-collision is infinite when the gap is not closing: steady, opening, or closing slower than minClosingSpeedMps', () => {
    const steady = lidar(DERIVED)
    for (let k = 0; k < 4; k++) steady.pipeline.onReading(frame(10 * k, 3))
    near(steady.cell('closingSpeedMps').value, 0)
    assert.equal(steady.cell('timeToCollisionS').value, Number.POSITIVE_INFINITY)
    assert.equal(steady.cell('timeToCollisionS').quality, 'good')

    const opening = lidar(DERIVED)
    for (let k = 0; k < 4; k++) opening.pipeline.onReading(frame(10 * k, 3 + 0.05 * k))
    near(opening.cell('closingSpeedMps').value, -5)
    assert.equal(opening.cell('timeToCollisionS').value, Number.POSITIVE_INFINITY)

    // 0.4 mm per 10 ms = 0.04 m/s, under the default 0.05 m/s
    const creeping = lidar(DERIVED)
    for (let k = 0; k < 4; k++) creeping.pipeline.onReading(frame(10 * k, 3 - 0.0004 * k))
    near(creeping.cell('closingSpeedMps').value, 0.04)
    assert.equal(creeping.cell('timeToCollisionS').value, Number.POSITIVE_INFINITY)
  })

  it('a derived channel is as good as its worst input', () => {
    const { pipeline, cell } = lidar(DERIVED)
    pipeline.onReading(frame(0, 5))
    pipeline.onReading(frame(10, 4.92))
    assert.equal(cell('timeToCollisionS').quality, 'good')
    pipeline.onReading(frame(20, 9.5)) // implausible
    for (const name of ['closingSpeedMps', 'timeToCollisionS']) {
      assert.equal(cell(name).quality, 'fault', name)
      assert.match(cell(name).reason ?? '', /lidar\.distanceM.*implausible/, name)
      assert.ok(Number.isNaN(cell(name).ratePerS), name)
    }
    pipeline.onReading(reading(30, { signalStrength: 1000 })) // distanceM absent
    for (const name of ['closingSpeedMps', 'timeToCollisionS']) {
      assert.equal(cell(name).quality, 'no-data', name)
      assert.match(cell(name).reason ?? '', /lidar\.distanceM.*absent/, name)
    }
    // 30 ms without a good distance (maxAgeMs 10): the slope starts again from this point
    pipeline.onReading(frame(40, 4.76))
    assert.deepEqual([cell('closingSpeedMps').quality, cell('closingSpeedMps').reason], ['no-data', 'warming-up'])
    pipeline.onReading(frame(50, 4.68))
    assert.equal(cell('closingSpeedMps').quality, 'good', 'good again with two good distances')
    near(cell('closingSpeedMps').value, 8)
    assert.equal(cell('timeToCollisionS').quality, 'good')
    near(cell('timeToCollisionS').value, 4.68 / 8)
  })

  it("a derived channel fed by another task's channel that went stale is not fresh", () => {
    // close-range (maxAgeMs 50) derives its time-to-collision from the lidar's closing speed (maxAgeMs 10)
    const { pipeline, cell } = pipelines([
      lidarTask({ derived: [{ name: 'closingSpeedMps', op: 'closing-speed', distance: 'distanceM' }] }),
      { id: 'close-range', kind: 'sample', device: 'distance', periodMs: 50, budgetMs: 3, derived: [{ name: 'timeToCollisionS', op: 'time-to-collision', distance: 'distanceM', closingSpeed: 'lidar.closingSpeedMps' }] },
    ])
    for (let k = 0; k <= 2; k++) pipeline('lidar').onReading(frame(10 * k, 2 - 0.08 * k))
    const closeRange = (atMs: number): Reading => reading(atMs, { distanceM: 1.5, signalRateMcps: 10 })
    pipeline('close-range').onReading(closeRange(20))
    const ttc = cell('close-range.timeToCollisionS')
    assert.equal(trustOf(ttc, 20), 'good')
    near(ttc.value, 1.5 / 8)
    // the lidar stops; close-range goes on sampling
    for (const atMs of [70, 120]) pipeline('close-range').onReading(closeRange(atMs))
    assert.equal(trustOf(cell('lidar.closingSpeedMps'), 120), 'stale')
    assert.notEqual(trustOf(ttc, 120), 'good', 'its closing speed is 100 ms old')
  })
})
