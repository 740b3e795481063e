import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { SimGpio } from '../../../drivers/sim/sim-gpio.ts'
import { runWorld } from '../../../drivers/sim/world/run-world.ts'
import type { LidarTarget, Motion, MotionTarget, TofTarget } from '../../../drivers/sim/world/targets.ts'
import type { VehicleInitial } from '../../../drivers/sim/world/vehicle-config.ts'
import { STANDARD_GRAVITY_MPS2, stoppingDistanceM } from '../../../drivers/sim/world/vehicle-physics.ts'
import { lidarReading, tofReading } from '../../../drivers/sim/world/vehicle-sensors.ts'
import { VehicleWorld } from '../../../drivers/sim/world/vehicle.ts'
import { VirtualClock } from '../../../runtime/virtual-clock.ts'

const BRAKE_LINE = 22

/** Recording stand-ins for the LiDAR, time-of-flight and IMU emulators. */
function fakeSensors() {
  const seen = { lidarM: [] as number[], lidarAmp: [] as number[], tof: [] as (number | 'no target')[], motion: [] as Motion[] }
  const lidar: LidarTarget = { setDistance: distanceM => void seen.lidarM.push(distanceM), setSignal: amp => void seen.lidarAmp.push(amp) }
  const tof: TofTarget = { setDistance: distanceM => void seen.tof.push(distanceM), setNoTarget: () => void seen.tof.push('no target') }
  const imu: MotionTarget = { setMotion: motion => void seen.motion.push(motion) }
  return { seen, targets: { lidar, tof, imu } }
}

/** A vehicle on a sim board's brake line, stepped by runWorld every stepMs. */
function setup(initial: VehicleInitial, stepMs: number) {
  const clock = new VirtualClock()
  const gpio = new SimGpio(clock)
  const brake = gpio.output(BRAKE_LINE, 0)
  const { seen, targets } = fakeSensors()
  const vehicle = new VehicleWorld({ targets, actuators: gpio, brakeLine: BRAKE_LINE }, initial)
  const stop = new AbortController()
  const running = runWorld(vehicle, clock, stop.signal, { stepMs })
  const finish = async (): Promise<void> => {
    stop.abort()
    await running
  }
  return { clock, gpio, brake, seen, vehicle, finish }
}

describe('vehicle world', () => {
  it('stops D − v²/2a short of the obstacle when the brake is applied at distance D, within one step of travel', async () => {
    const table = [
      { speedMps: 8, decelMps2: 6, brakeAtM: 7, stepMs: 10 },
      { speedMps: 8, decelMps2: 6, brakeAtM: 7, stepMs: 50 },
      { speedMps: 10, decelMps2: 8, brakeAtM: 8, stepMs: 20 },
      { speedMps: 5, decelMps2: 6, brakeAtM: 3, stepMs: 5 },
    ]
    for (const row of table) {
      const { clock, brake, seen, vehicle, finish } = setup({ speedMps: row.speedMps, cruiseSpeedMps: row.speedMps, brakeDecelMps2: row.decelMps2, obstacleDistanceM: 30 }, row.stepMs)
      // The controller under test: brake as soon as the LiDAR reads brakeAtM or less.
      while (!((seen.lidarAmp.at(-1) ?? 0) > 0 && seen.lidarM.at(-1)! <= row.brakeAtM)) await clock.advance(row.stepMs)
      await brake.write(1)
      await clock.advance(5000)
      const expectedM = row.brakeAtM - stoppingDistanceM(row.speedMps, row.decelMps2)
      const report = vehicle.report()
      assert.equal(report.collision, null, JSON.stringify(row))
      assert.ok(report.stoppedShortM !== null && Math.abs(report.stoppedShortM - expectedM) <= row.speedMps * (row.stepMs / 1000), `${JSON.stringify(row)}: ${report.stoppedShortM} vs ${expectedM}`)
      await finish()
    }
  })

  it('applies the brake at the instant the line is written, so the stop does not depend on stepMs', async () => {
    for (const stepMs of [10, 100, 250]) {
      const { clock, brake, vehicle, finish } = setup({ speedMps: 20, cruiseSpeedMps: 20, obstacleDistanceM: 100 }, stepMs)
      await clock.advance(1234)
      await brake.write(1) // at 1.234 s, between steps: 24.68 m travelled
      await clock.advance(10_000)
      assert.ok(Math.abs(vehicle.report().stoppedShortM! - (100 - 24.68 - 100 / 3)) < 1e-9, `stepMs ${stepMs}: ${vehicle.report().stoppedShortM}`)
      await finish()
    }
  })

  it('collides when nothing brakes, at the cruise speed, in the step that reaches the obstacle', async () => {
    const { clock, vehicle, finish } = setup({ speedMps: 15, cruiseSpeedMps: 15, obstacleDistanceM: 60 }, 10)
    await clock.advance(3990)
    assert.equal(vehicle.report().collision, null)
    await clock.advance(20)
    const collision = vehicle.report().collision
    assert.ok(collision !== null && collision.atMs >= 4000 && collision.atMs <= 4010, `within the step that reaches 60 m: ${collision?.atMs}`)
    assert.deepEqual({ ...collision, atMs: 0 }, { atMs: 0, impactSpeedMps: 15, positionM: 60 })
    await clock.advance(1000)
    assert.equal(vehicle.report().positionM, 60, 'it stays at the obstacle')
    assert.equal(vehicle.report().stoppedShortM, null)
    await finish()
  })

  it('still hits at √(v² − 2aD) when braking starts only at the far end of the LiDAR range', async () => {
    const { clock, brake, seen, vehicle, finish } = setup({ speedMps: 15, cruiseSpeedMps: 15, obstacleDistanceM: 20 }, 1)
    while ((seen.lidarAmp.at(-1) ?? 0) === 0) await clock.advance(1)
    await brake.write(1)
    await clock.advance(3000)
    const impact = vehicle.report().collision?.impactSpeedMps
    assert.ok(impact !== undefined && Math.abs(impact - Math.sqrt(15 ** 2 - 2 * 6 * 8)) < 0.02, String(impact))
    await finish()
  })

  it('feeds the IMU a negative x while braking, zero when cruising or stopped, and +1 g on z', async () => {
    const { clock, brake, seen, finish } = setup({ speedMps: 6, cruiseSpeedMps: 6 }, 100)
    await clock.advance(100)
    assert.deepEqual(seen.motion.at(-1), { accelMps2: [0, 0, STANDARD_GRAVITY_MPS2], gyroDps: [0, 0, 0], temperatureC: 25 })
    await brake.write(1)
    await clock.advance(100)
    assert.equal(seen.motion.at(-1)!.accelMps2[0], -6)
    await clock.advance(1000) // 6 m/s at 6 m/s² stops after 1 s
    assert.equal(seen.motion.at(-1)!.accelMps2[0], 0)
    await finish()
  })

  it('feeds the time-of-flight sensor only under 2 m, and the LiDAR its range with a signal only within 8 m', async () => {
    const { clock, seen, finish } = setup({ speedMps: 1, cruiseSpeedMps: 1, obstacleDistanceM: 9 }, 500)
    assert.equal(seen.tof.at(-1), 'no target')
    assert.deepEqual([seen.lidarM.at(-1), seen.lidarAmp.at(-1)], [8, 0])
    await clock.advance(2000) // 7 m
    assert.equal(seen.lidarM.at(-1), 7)
    assert.ok(seen.lidarAmp.at(-1)! >= 100)
    await clock.advance(5500) // 1.5 m
    assert.equal(seen.tof.at(-1), 1.5)
    await finish()
  })

  it('reads the brake line at attach, so a brake already applied holds the vehicle', async () => {
    const clock = new VirtualClock()
    const gpio = new SimGpio(clock)
    gpio.output(BRAKE_LINE, 1)
    const vehicle = new VehicleWorld({ targets: {}, actuators: gpio, brakeLine: BRAKE_LINE }, { speedMps: 3 })
    const detach = vehicle.attach(0)
    vehicle.advanceTo(1000)
    assert.equal(vehicle.report().speedMps, 0)
    assert.equal(vehicle.report().braking, true)
    detach()
  })

  it('takes settings and events: an obstacle placed ahead of where the vehicle is, then cleared', () => {
    const vehicle = new VehicleWorld({ targets: {} }, { speedMps: 10, cruiseSpeedMps: 10 })
    const detach = vehicle.attach(0)
    vehicle.advanceTo(2000)
    vehicle.set({ obstacleDistanceM: 50, cruiseSpeedMps: null, brakeDecelMps2: 8 })
    assert.equal(vehicle.report().obstacleDistanceM, 50)
    vehicle.trigger('obstacle-cleared')
    assert.equal(vehicle.report().obstacleDistanceM, null)
    vehicle.advanceTo(3000)
    assert.ok(vehicle.report().speedMps < 10, 'coasting once the cruise speed is removed')
    detach()
  })

  it('stops listening to the brake line when detached', async () => {
    const { clock, brake, vehicle, finish } = setup({ speedMps: 5, cruiseSpeedMps: 5 }, 10)
    await clock.advance(10)
    await finish()
    await brake.write(1)
    assert.equal(vehicle.report().braking, false)
  })

  it('maps obstacle distances to sensor readings', () => {
    const table: [number | null, number, boolean, number | null][] = [
      // gapM, lidar distanceM, lidar has signal, tof distanceM
      [null, 8, false, null],
      [12, 8, false, null],
      [8, 8, true, null],
      [2, 2, true, null],
      [1.99, 1.99, true, 1.99],
      [0.1, 0.2, true, 0.1],
    ]
    for (const [gapM, lidarM, signal, tofM] of table) {
      const lidar = lidarReading(gapM)
      assert.equal(lidar.distanceM, lidarM, `gap ${gapM}`)
      assert.equal(lidar.signalAmp > 0, signal, `gap ${gapM}`)
      assert.equal(tofReading(gapM), tofM, `gap ${gapM}`)
    }
  })
})
