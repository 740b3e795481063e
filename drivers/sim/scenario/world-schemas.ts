import * as z from 'zod'
import { ENVIRONMENT_EVENTS, type EnvironmentInitial, type EnvironmentSettings } from '../world/environment-config.ts'
import { PATIENT_EVENTS } from '../world/patient-physiology.ts'
import type { PatientInitial } from '../world/patient.ts'
import { VEHICLE_EVENTS, type VehicleInitial, type VehicleSettings } from '../world/vehicle-config.ts'

/**
 * What each world accepts as `initial` and as an event's `set`. Absent keys keep the model's
 * defaults (drivers/sim/world/*-config.ts), so the schemas hold the limits, not the defaults.
 * `satisfies` ties each schema to the type its world model takes.
 */

const between = (min: number, max: number) => z.number().min(min).max(max)
const positive = (max: number) => z.number().positive().max(max)
const hour = z.number().min(0).lt(24)
const adcChannel = z.literal([0, 1, 2, 3]).nullable().describe('ADS1115 input 0..3 (AIN0..AIN3), or null when not wired')

// ---- vehicle ----

const vehicleSettingsShape = {
  speedMps: between(0, 100),
  cruiseSpeedMps: between(0, 100).nullable().describe('null: no throttle, coast on rolling resistance'),
  cruiseAccelMps2: positive(20),
  brakeDecelMps2: positive(20).describe('deceleration while the brake line is 1; default 6'),
  rollingDecelMps2: between(0, 5),
  obstacleDistanceM: positive(10_000).nullable().describe('distance ahead of the vehicle; null: the road is clear'),
  /** MPU-6050 datasheet: operating range −40…85 °C. */
  temperatureC: between(-40, 85),
}

export const VehicleSet = z.strictObject(optionalShape(vehicleSettingsShape)) satisfies z.ZodType<VehicleSettings>
export const VehicleInitialSchema = z.strictObject(
  optionalShape({ ...vehicleSettingsShape, positionM: z.number().finite() }),
) satisfies z.ZodType<VehicleInitial>
export const VehicleEventName = z.enum(VEHICLE_EVENTS)

// ---- patient ----

const vitalsShape = {
  heartRateBpm: between(20, 300),
  spo2Pct: between(50, 100),
  temperatureC: between(25, 45),
  perfusionPct: between(0, 20),
}
const timeConstants = z.strictObject(optionalShape({ heartRateBpm: between(0, 3600), spo2Pct: between(0, 3600), temperatureC: between(0, 36_000), perfusionPct: between(0, 3600) }))

export const PatientInitialSchema = z.strictObject({
  ...optionalShape(vitalsShape),
  probeOn: z.boolean().optional(),
  timeConstantsS: timeConstants.optional().describe('seconds per vital sign; 0 jumps to the target'),
}) satisfies z.ZodType<PatientInitial>
/** In an event, the vitals are the targets the patient ramps to. */
export const PatientSet = PatientInitialSchema
export const PatientEventName = z.enum(PATIENT_EVENTS)

// ---- environment ----

const climate = z.strictObject(
  optionalShape({
    /** BME280 datasheet: operating range −40…85 °C, 300…1100 hPa. */
    meanTemperatureC: between(-40, 85),
    temperatureSwingC: between(0, 30),
    warmestHour: hour,
    meanHumidityPct: between(0, 100),
    humiditySwingPct: between(0, 50),
    meanPressurePa: between(30_000, 110_000),
    pressureTidePa: between(0, 1000),
  }),
)
/** ADS1115 datasheet: VDD up to 5.5 V, and no input above VDD + 0.3 V. */
const potentiometer = z.strictObject(optionalShape({ channel: adcChannel, positionPct: between(0, 100), supplyV: positive(5.5) }))
const battery = z
  .strictObject(
    optionalShape({
      channel: adcChannel,
      chargePct: between(0, 100),
      capacityMah: positive(1_000_000),
      loadMa: between(0, 100_000),
      fullV: positive(60),
      emptyV: positive(60),
      dividerRatio: z.number().positive().max(1),
    }),
  )
  .refine(b => b.fullV === undefined || b.emptyV === undefined || b.emptyV < b.fullV, { message: 'must be below fullV', path: ['emptyV'] })

const environmentSettingsShape = {
  timeScale: positive(1_000_000).optional().describe('world seconds per clock second; 360 runs a day in 4 minutes'),
  weatherTimeConstantS: between(0, 86_400).optional(),
  climate: climate.optional(),
  potentiometer: potentiometer.optional(),
  battery: battery.optional(),
}
export const EnvironmentSet = z.strictObject(environmentSettingsShape) satisfies z.ZodType<EnvironmentSettings>
export const EnvironmentInitialSchema = z.strictObject({
  ...environmentSettingsShape,
  startHour: hour.optional().describe('time of day at the start, hours since midnight; default 6'),
}) satisfies z.ZodType<EnvironmentInitial>
export const EnvironmentEventName = z.enum(ENVIRONMENT_EVENTS)

/** Every field of `shape` made optional. */
function optionalShape<T extends Record<string, z.ZodType>>(shape: T): { [K in keyof T]: z.ZodOptional<T[K]> } {
  return Object.fromEntries(Object.entries(shape).map(([key, schema]) => [key, schema.optional()])) as { [K in keyof T]: z.ZodOptional<T[K]> }
}
