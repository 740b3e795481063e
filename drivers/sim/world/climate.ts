import type { Climate } from './targets.ts'

/**
 * Outdoor climate over a day, as pure functions of the time of day. A cosine is the usual first
 * approximation of the diurnal temperature cycle; relative humidity runs opposite to it (the
 * same water vapour in warmer air), and pressure carries the semidiurnal atmospheric tide, with
 * maxima near 10:00 and 22:00 local time and about 1 hPa of amplitude at low latitudes
 * (Chapman & Lindzen, Atmospheric Tides, 1970).
 */

export const HOURS_PER_DAY = 24
const MS_PER_HOUR = 3_600_000
/** Chapman & Lindzen: the semidiurnal pressure maximum is near 10:00 (and 22:00) local time. */
const TIDE_PEAK_HOUR = 10

export interface ClimateCycle {
  readonly meanTemperatureC: number
  /** Half the day's peak-to-peak range. */
  readonly temperatureSwingC: number
  readonly warmestHour: number
  readonly meanHumidityPct: number
  readonly humiditySwingPct: number
  readonly meanPressurePa: number
  readonly pressureTidePa: number
}

/** A temperate spring day at sea level (ISA: 101 325 Pa). */
export const DEFAULT_CLIMATE: ClimateCycle = {
  meanTemperatureC: 15,
  temperatureSwingC: 5,
  warmestHour: 15,
  meanHumidityPct: 65,
  humiditySwingPct: 15,
  meanPressurePa: 101_325,
  pressureTidePa: 100,
}

/** Hours since midnight, in [0, 24), `elapsedMs` after a start at `startHour`. */
export function timeOfDayH(elapsedMs: number, startHour: number): number {
  const hours = (startHour + elapsedMs / MS_PER_HOUR) % HOURS_PER_DAY
  return hours < 0 ? hours + HOURS_PER_DAY : hours
}

export function diurnalClimate(hour: number, cycle: ClimateCycle): Climate {
  const daily = Math.cos((2 * Math.PI * (hour - cycle.warmestHour)) / HOURS_PER_DAY)
  const semidiurnal = Math.cos((4 * Math.PI * (hour - TIDE_PEAK_HOUR)) / HOURS_PER_DAY)
  return {
    temperatureC: cycle.meanTemperatureC + cycle.temperatureSwingC * daily,
    pressurePa: cycle.meanPressurePa + cycle.pressureTidePa * semidiurnal,
    humidityPct: clampPct(cycle.meanHumidityPct - cycle.humiditySwingPct * daily),
  }
}

/** The cycle's climate with weather offsets added; humidity stays within 0–100 %. */
export function withOffsets(climate: Climate, offsets: Climate): Climate {
  return {
    temperatureC: climate.temperatureC + offsets.temperatureC,
    pressurePa: climate.pressurePa + offsets.pressurePa,
    humidityPct: clampPct(climate.humidityPct + offsets.humidityPct),
  }
}

const clampPct = (pct: number): number => Math.min(100, Math.max(0, pct))

export const WEATHER_EVENTS = ['heatwave', 'cold-snap', 'storm', 'fair-weather'] as const
export type WeatherEvent = (typeof WEATHER_EVENTS)[number]

/** Named weather events: the offsets from the daily cycle they ramp to (illustrative sizes). */
export const WEATHER_OFFSETS: Readonly<Record<WeatherEvent, Climate>> = {
  heatwave: { temperatureC: 8, pressurePa: 300, humidityPct: -15 },
  'cold-snap': { temperatureC: -10, pressurePa: 500, humidityPct: 0 },
  /** A passing low: pressure falls ~15 hPa, the air turns cool and wet. */
  storm: { temperatureC: -3, pressurePa: -1500, humidityPct: 25 },
  'fair-weather': { temperatureC: 0, pressurePa: 0, humidityPct: 0 },
}
