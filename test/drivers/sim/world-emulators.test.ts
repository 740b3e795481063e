import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { SimAds1115 } from '../../../drivers/sim/chips/sim-ads1115.ts'
import { SimBme280 } from '../../../drivers/sim/chips/sim-bme280.ts'
import { SimMax30102 } from '../../../drivers/sim/chips/sim-max30102.ts'
import { SimMax30205 } from '../../../drivers/sim/chips/sim-max30205.ts'
import { SimMpu6050 } from '../../../drivers/sim/chips/sim-mpu6050.ts'
import { SimVl53l0x } from '../../../drivers/sim/chips/sim-vl53l0x.ts'
import { EnvironmentWorld } from '../../../drivers/sim/world/environment.ts'
import { PatientWorld } from '../../../drivers/sim/world/patient.ts'
import { runWorld } from '../../../drivers/sim/world/run-world.ts'
import { VehicleWorld } from '../../../drivers/sim/world/vehicle.ts'
import type { World } from '../../../drivers/sim/world/world.ts'
import { VirtualClock } from '../../../runtime/virtual-clock.ts'

// The world models against the real chip emulators: the targets' structural interfaces must fit
// the emulators' setters (this file does not compile otherwise), and every value a model pushes
// over a whole run must be one the emulators accept (they throw RangeError otherwise).

async function runFor(world: World, clock: VirtualClock, totalMs: number, stepMs: number): Promise<void> {
  const stop = new AbortController()
  const running = runWorld(world, clock, stop.signal, { stepMs })
  await clock.advance(totalMs)
  stop.abort()
  await running
}

describe('world models on the chip emulators', () => {
  it('drive the VL53L0X and MPU-6050 emulators from far away to a collision', async () => {
    const clock = new VirtualClock()
    const vehicle = new VehicleWorld({ targets: { tof: new SimVl53l0x({ clock }), imu: new SimMpu6050({ clock }) } }, { speedMps: 10, cruiseSpeedMps: 10, obstacleDistanceM: 30 })
    await runFor(vehicle, clock, 4000, 10)
    assert.notEqual(vehicle.report().collision, null)
  })

  it('drive the MAX30102 and MAX30205 emulators through every patient event', async () => {
    const clock = new VirtualClock()
    const patient = new PatientWorld({ pulseOximeter: new SimMax30102(clock), thermometer: new SimMax30205(0x48, clock) }, { timeConstantsS: { heartRateBpm: 1, spo2Pct: 1, temperatureC: 1 } })
    for (const event of ['tachycardia', 'bradycardia', 'desaturation', 'fever', 'probe-off', 'probe-on', 'recover'] as const) {
      patient.trigger(event)
      await runFor(patient, clock, 5000, 100)
    }
    assert.ok(Math.abs(patient.report().heartRateBpm - 72) < 1)
  })

  it('drive the BME280 and ADS1115 emulators over a stormy day and an empty battery', async () => {
    const clock = new VirtualClock()
    const environment = new EnvironmentWorld({ climate: new SimBme280(), adc: new SimAds1115(0x49, clock) }, { timeScale: 3600, weatherTimeConstantS: 600, battery: { loadMa: 1000 } })
    environment.trigger('storm')
    await runFor(environment, clock, 24_000, 100)
    assert.equal(environment.report().batteryChargePct, 0)
  })
})
