import { DEFAULT_BATTERY, type Battery } from './battery.ts'
import { DEFAULT_CLIMATE, WEATHER_EVENTS, type ClimateCycle } from './climate.ts'
import { withoutUndefined, type Optional } from './defined.ts'
import type { AdcInput } from './targets.ts'

/** The ADS1115 input a signal is wired to, or null when it is not wired. */
export type AdcChannel = AdcInput | null

export interface Potentiometer {
  readonly channel: AdcChannel
  readonly positionPct: number
  readonly supplyV: number
}

export interface BatteryWiring extends Battery {
  readonly channel: AdcChannel
}

export interface EnvironmentConfig {
  /** The time of day when the world starts, hours since midnight. */
  readonly startHour: number
  /** World seconds per clock second: 360 runs a day in 4 minutes. */
  readonly timeScale: number
  /** How fast weather events take hold, in world seconds. */
  readonly weatherTimeConstantS: number
  readonly climate: ClimateCycle
  readonly potentiometer: Potentiometer
  readonly battery: BatteryWiring
}

export const DEFAULT_ENVIRONMENT: EnvironmentConfig = {
  startHour: 6,
  timeScale: 1,
  weatherTimeConstantS: 1800,
  climate: DEFAULT_CLIMATE,
  /** 3.3 V: the Pi's supply rail, which also powers the ADS1115. */
  potentiometer: { channel: 0, positionPct: 50, supplyV: 3.3 },
  battery: { ...DEFAULT_BATTERY, channel: 1 },
}

export interface EnvironmentInitial {
  readonly startHour?: number | undefined
  readonly timeScale?: number | undefined
  readonly weatherTimeConstantS?: number | undefined
  readonly climate?: Optional<ClimateCycle> | undefined
  readonly potentiometer?: Optional<Potentiometer> | undefined
  readonly battery?: Optional<BatteryWiring> | undefined
}

/** What a scenario may change during a run: everything but the start time. */
export type EnvironmentSettings = Omit<EnvironmentInitial, 'startHour'>

export const ENVIRONMENT_EVENTS = [...WEATHER_EVENTS, 'battery-replaced'] as const
export type EnvironmentEvent = (typeof ENVIRONMENT_EVENTS)[number]

/** `settings` over `config`, group by group. */
export function mergeEnvironment(config: EnvironmentConfig, settings: EnvironmentInitial): EnvironmentConfig {
  const { climate, potentiometer, battery, ...top } = settings
  return {
    ...config,
    ...withoutUndefined(top),
    climate: { ...config.climate, ...withoutUndefined(climate ?? {}) },
    potentiometer: { ...config.potentiometer, ...withoutUndefined(potentiometer ?? {}) },
    battery: { ...config.battery, ...withoutUndefined(battery ?? {}) },
  }
}
