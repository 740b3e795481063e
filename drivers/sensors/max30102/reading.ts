import type { ChannelInfo, Quality, Reading } from '../sensor.ts'
import type { PpgEstimate } from './ppg-estimator.ts'

/**
 * One MAX30102 reading: the estimate over the analysis window after draining the FIFO.
 * heartRateBpm, spo2Pct and perfusionPct are present once they could be computed (never while
 * warming up or with the probe off); spo2Pct and irRaw only in SpO2 mode. A value outside its
 * channel's range is kept, with quality 'fault' and fault 'out-of-range'.
 */
export interface Max30102Reading extends Reading {
  readonly heartRateBpm?: number
  readonly spo2Pct?: number
  /** Peak-to-trough pulsation over DC of the pulse channel (IR in SpO2 mode), %. */
  readonly perfusionPct?: number
  /** The newest FIFO sample, ADC counts at the configured resolution (absent before the first). */
  readonly redRaw?: number
  readonly irRaw?: number
  /** FIFO samples drained by this sample() call. */
  readonly samplesRead: number
  /** Samples the chip dropped since the previous call because its FIFO was full (OVF_COUNTER; 31 means 31 or more). */
  readonly samplesLost: number
}

const countsMax = 2 ** 18 - 1

/** Channel ranges: heart rate and SpO2 from the task; perfusion from the PI range oximeters display, 0.02..20 %. */
export const CHANNELS: readonly ChannelInfo[] = [
  { name: 'heartRateBpm', unit: 'bpm', description: 'pulse rate, median beat interval over the window', min: 30, max: 250 },
  { name: 'spo2Pct', unit: '%', description: 'functional oxygen saturation, SpO2 = 110 − 25·R (SpO2 mode)', min: 0, max: 100 },
  { name: 'perfusionPct', unit: '%', description: 'perfusion index: pulsatile over steady light of the pulse channel', min: 0, max: 20 },
  { name: 'irRaw', unit: 'counts', description: 'newest IR ADC sample (SpO2 mode)', min: 0, max: countsMax },
  { name: 'redRaw', unit: 'counts', description: 'newest red ADC sample', min: 0, max: countsMax },
]

const RANGE = { heartRateBpm: CHANNELS[0]!, spo2Pct: CHANNELS[1]!, perfusionPct: CHANNELS[2]! } as const

export interface ReadingInputs {
  readonly atMs: number
  readonly estimate: PpgEstimate
  readonly samplesRead: number
  readonly samplesLost: number
  readonly redRaw: number | undefined
  readonly irRaw: number | undefined
}

/**
 * Quality, in order of precedence: samples lost ('fifo-overflow': the window had a gap and starts
 * again), then the estimator's state ('warming-up', 'probe-off', 'signal-low'), then a value
 * outside its channel's range ('out-of-range'), else 'good'.
 */
export function buildReading(inputs: ReadingInputs): Max30102Reading {
  const { estimate } = inputs
  const fault = inputs.samplesLost > 0 ? 'fifo-overflow' : estimate.state !== 'ok' ? estimate.state : outOfRange(estimate) ? 'out-of-range' : undefined
  const quality: Quality = fault === undefined ? 'good' : 'fault'
  return Object.freeze({
    atMs: inputs.atMs,
    quality,
    ...(fault !== undefined && { fault }),
    ...(estimate.heartRateBpm !== undefined && { heartRateBpm: estimate.heartRateBpm }),
    ...(estimate.spo2Pct !== undefined && { spo2Pct: estimate.spo2Pct }),
    ...(estimate.perfusionPct !== undefined && { perfusionPct: estimate.perfusionPct }),
    ...(inputs.redRaw !== undefined && { redRaw: inputs.redRaw }),
    ...(inputs.irRaw !== undefined && { irRaw: inputs.irRaw }),
    samplesRead: inputs.samplesRead,
    samplesLost: inputs.samplesLost,
  })
}

function outOfRange(estimate: PpgEstimate): boolean {
  return (
    outside(estimate.heartRateBpm, RANGE.heartRateBpm) || outside(estimate.spo2Pct, RANGE.spo2Pct) || outside(estimate.perfusionPct, RANGE.perfusionPct)
  )
}

function outside(value: number | undefined, channel: ChannelInfo): boolean {
  return value !== undefined && !(value >= channel.min && value <= channel.max)
}
