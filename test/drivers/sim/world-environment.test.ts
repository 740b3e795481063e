import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { batterySenseV, batteryVoltageV, DEFAULT_BATTERY, drainChargePct, potentiometerV } from '../../../drivers/sim/world/battery.ts'
import { DEFAULT_CLIMATE, diurnalClimate, timeOfDayH, withOffsets } from '../../../drivers/sim/world/climate.ts'
import { EnvironmentWorld } from '../../../drivers/sim/world/environment.ts'
import { runWorld } from '../../../drivers/sim/world/run-world.ts'
import type { Climate } from '../../../drivers/sim/world/targets.ts'
import { VirtualClock } from '../../../runtime/virtual-clock.ts'

const HOUR_MS = 3_600_000
const close = (actual: number, expected: number, tolerance = 1e-9): boolean => Math.abs(actual - expected) <= tolerance

function fakeBoard() {
  const seen = { climate: [] as Climate[], volts: new Map<number, number[]>() }
  return {
    seen,
    last: (channel: number): number | undefined => seen.volts.get(channel)?.at(-1),
    targets: {
      climate: { setEnvironment: (climate: Climate) => void seen.climate.push(climate) },
      adc: { setInputVoltage: (channel: number, volts: number) => void seen.volts.set(channel, [...(seen.volts.get(channel) ?? []), volts]) },
    },
  }
}

describe('climate', () => {
  it('is warmest at the warmest hour, coolest twelve hours away, and at the mean halfway between', () => {
    const cycle = { ...DEFAULT_CLIMATE, meanTemperatureC: 20, temperatureSwingC: 5, warmestHour: 15, meanHumidityPct: 60, humiditySwingPct: 20 }
    const table = [
      { hour: 15, temperatureC: 25, humidityPct: 40 },
      { hour: 3, temperatureC: 15, humidityPct: 80 },
      { hour: 9, temperatureC: 20, humidityPct: 60 },
      { hour: 21, temperatureC: 20, humidityPct: 60 },
    ]
    for (const row of table) {
      const climate = diurnalClimate(row.hour, cycle)
      assert.ok(close(climate.temperatureC, row.temperatureC) && close(climate.humidityPct, row.humidityPct), `${row.hour}:00 ${JSON.stringify(climate)}`)
    }
  })

  it('carries the semidiurnal pressure tide: highs near 10:00 and 22:00, lows at 04:00 and 16:00', () => {
    const cycle = { ...DEFAULT_CLIMATE, meanPressurePa: 100_000, pressureTidePa: 100 }
    const table = [
      [10, 100_100],
      [22, 100_100],
      [4, 99_900],
      [16, 99_900],
      [7, 100_000],
    ] as const
    for (const [hour, pressurePa] of table) assert.ok(close(diurnalClimate(hour, cycle).pressurePa, pressurePa, 1e-6), `${hour}:00`)
  })

  it('tells the time of day from the start hour, wrapping at midnight', () => {
    assert.equal(timeOfDayH(0, 6), 6)
    assert.equal(timeOfDayH(9 * HOUR_MS, 6), 15)
    assert.equal(timeOfDayH(20 * HOUR_MS, 6), 2)
    assert.equal(timeOfDayH(48 * HOUR_MS, 0), 0)
  })

  it('keeps humidity within 0–100 % whatever the offsets', () => {
    assert.equal(withOffsets({ temperatureC: 20, pressurePa: 100_000, humidityPct: 90 }, { temperatureC: 1, pressurePa: -10, humidityPct: 25 }).humidityPct, 100)
    assert.equal(withOffsets({ temperatureC: 20, pressurePa: 100_000, humidityPct: 10 }, { temperatureC: 1, pressurePa: -10, humidityPct: -25 }).humidityPct, 0)
  })
})

describe('battery and potentiometer', () => {
  it('drains by coulomb counting: 2000 mAh at 500 mA lasts 4 h, and never goes below empty', () => {
    const table = [
      { hours: 1, chargePct: 75 },
      { hours: 2, chargePct: 50 },
      { hours: 4, chargePct: 0 },
      { hours: 6, chargePct: 0 },
    ]
    for (const row of table) assert.ok(close(drainChargePct(100, 500, 2000, row.hours * HOUR_MS), row.chargePct), `${row.hours} h`)
  })

  it('reads a half-charged 3.0–4.2 V battery as 3.6 V, 1.8 V through a 1:2 divider', () => {
    const half = { ...DEFAULT_BATTERY, chargePct: 50 }
    assert.ok(close(batteryVoltageV(half), 3.6))
    assert.ok(close(batterySenseV(half), 1.8))
    assert.equal(batteryVoltageV({ ...DEFAULT_BATTERY, chargePct: 0 }), 3.0)
  })

  it('puts a potentiometer\'s wiper at its share of the supply', () => {
    assert.equal(potentiometerV(50, 3.3), 1.65)
    assert.equal(potentiometerV(0, 3.3), 0)
    assert.equal(potentiometerV(100, 5), 5)
  })
})

describe('environment world', () => {
  it('runs the daily cycle in world time: at timeScale 3600 a clock second is an hour', async () => {
    const clock = new VirtualClock()
    const { seen, targets } = fakeBoard()
    const world = new EnvironmentWorld(targets, { startHour: 6, timeScale: 3600, climate: { meanTemperatureC: 20, temperatureSwingC: 5, warmestHour: 15 } })
    const stop = new AbortController()
    const running = runWorld(world, clock, stop.signal, { stepMs: 250 })
    await clock.advance(9000) // 15:00
    assert.ok(close(seen.climate.at(-1)!.temperatureC, 25), String(seen.climate.at(-1)!.temperatureC))
    assert.ok(close(world.report().timeOfDayH, 15))
    await clock.advance(12_000) // 03:00
    assert.ok(close(seen.climate.at(-1)!.temperatureC, 15))
    stop.abort()
    await running
  })

  it('ramps a heatwave in with the weather time constant, and fair weather takes it away', () => {
    const { seen, targets } = fakeBoard()
    // Cycle flattened so that only the weather moves the temperature.
    const world = new EnvironmentWorld(targets, { weatherTimeConstantS: 600, climate: { temperatureSwingC: 0, meanTemperatureC: 20 } })
    world.attach(0)
    world.trigger('heatwave')
    world.advanceTo(600_000) // 1 τ
    assert.ok(close(seen.climate.at(-1)!.temperatureC, 20 + 8 * (1 - Math.exp(-1))))
    world.advanceTo(1_800_000) // 3 τ
    assert.ok(Math.abs(seen.climate.at(-1)!.temperatureC - 28) <= 0.05 * 8)
    world.trigger('fair-weather')
    world.advanceTo(1_800_000 + 3_000_000) // 5 τ more
    assert.ok(Math.abs(seen.climate.at(-1)!.temperatureC - 20) <= 0.01 * 8)
  })

  it('drops the pressure in a storm', () => {
    const world = new EnvironmentWorld({}, { weatherTimeConstantS: 0, climate: { pressureTidePa: 0, meanPressurePa: 101_325 } })
    world.attach(0)
    world.trigger('storm')
    world.advanceTo(1)
    assert.equal(world.report().pressurePa, 101_325 - 1500)
  })

  it('feeds the ADC the potentiometer and the draining battery on their channels', () => {
    const { last, targets } = fakeBoard()
    const world = new EnvironmentWorld(targets, { potentiometer: { channel: 2, positionPct: 50 }, battery: { channel: 3, capacityMah: 2000, loadMa: 500 } })
    world.attach(0)
    assert.equal(last(2), 1.65)
    assert.ok(close(last(3)!, 2.1)) // 4.2 V / 2
    world.advanceTo(2 * HOUR_MS)
    assert.ok(close(last(3)!, 1.8)) // 50 %: 3.6 V / 2
    world.set({ potentiometer: { positionPct: 100 } })
    world.trigger('battery-replaced')
    world.advanceTo(2 * HOUR_MS)
    assert.equal(last(2), 3.3)
    assert.ok(close(last(3)!, 2.1))
  })

  it('leaves an unwired signal alone', () => {
    const { seen, targets } = fakeBoard()
    const world = new EnvironmentWorld(targets, { potentiometer: { channel: null }, battery: { channel: 0 } })
    world.attach(0)
    assert.deepEqual([...seen.volts.keys()], [0])
  })
})
