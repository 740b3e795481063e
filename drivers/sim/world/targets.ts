/**
 * What the world models push their state into: the setters of the chip emulators
 * (drivers/sim/chips/), declared here as small structural interfaces so that a world model
 * never imports an emulator class, and a test can pass a recording fake. Every setter takes
 * physical quantities in the units its parameter names state; the emulator turns them into
 * register values.
 */

/** A distance sensor's target: the range to the nearest object, in metres. */
export interface DistanceTarget {
  setDistance(distanceM: number): void
}

/** SimTfLuna: a UART LiDAR (0.2–8 m). `amp` is the signal strength the part reports. */
export interface LidarTarget extends DistanceTarget {
  setSignal(amp: number): void
}

/** SimVl53l0x: a close-range time-of-flight sensor that can report "no target". */
export interface TofTarget extends DistanceTarget {
  setNoTarget(): void
}

/** One IMU sample: specific force on x, y, z (gravity included), rotation rate, die temperature. */
export interface Motion {
  readonly accelMps2: readonly [number, number, number]
  readonly gyroDps: readonly [number, number, number]
  readonly temperatureC: number
}

/** SimMpu6050. */
export interface MotionTarget {
  setMotion(motion: Motion): void
}

/** What a pulse oximeter's probe sees. */
export interface PatientSignal {
  readonly heartRateBpm: number
  readonly spo2Pct: number
  readonly perfusionPct?: number
  readonly probeOn: boolean
}

/** SimMax30102. */
export interface PulseOximeterTarget {
  setPatient(patient: PatientSignal): void
}

/** SimMax30205 (body temperature). */
export interface TemperatureTarget {
  setTemperature(temperatureC: number): void
}

export interface Climate {
  readonly temperatureC: number
  readonly pressurePa: number
  readonly humidityPct: number
}

/** SimBme280. */
export interface ClimateTarget {
  setEnvironment(climate: Climate): void
}

/** One of the ADS1115's four inputs, AIN0..AIN3. */
export type AdcInput = 0 | 1 | 2 | 3

/** SimAds1115: the voltage on one of its inputs, against GND. */
export interface AdcTarget {
  setInputVoltage(channel: AdcInput, volts: number): void
}
