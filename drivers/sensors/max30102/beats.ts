/** What the beat detector found in one window of the band-passed pulse signal. */
export interface BeatAnalysis {
  /** Peaks found. */
  readonly beats: number
  /** Median time between consecutive peaks, ms; NaN with fewer than two beats. */
  readonly medianIntervalMs: number
  /** Largest |interval − median| / median: 0 for a perfectly regular rhythm; NaN with < 2 intervals. */
  readonly irregularity: number
}

/**
 * A peak must reach this fraction of the window's highest sample: high enough to skip the
 * dicrotic (diastolic) wave, which in a finger PPG is well under half the systolic one.
 */
export const PEAK_THRESHOLD_FRACTION = 0.5
/**
 * Refractory period, ms: after a peak, a higher peak within this time replaces it instead of
 * counting as a beat. 200 ms is a 300 bpm rhythm, above the 250 bpm the channel reports.
 */
export const REFRACTORY_MS = 200

/** Preallocated working arrays, sized for the longest window, so an analysis allocates no arrays. */
export class BeatScratch {
  readonly peakIndex: Float64Array
  readonly peakTime: Float64Array
  readonly peakValue: Float64Array
  readonly work: Float64Array

  constructor(windowSamples: number, sampleRateHz: number) {
    const capacity = Math.ceil(windowSamples / Math.max(1, (REFRACTORY_MS * sampleRateHz) / 1000)) + 2
    this.peakIndex = new Float64Array(capacity)
    this.peakTime = new Float64Array(capacity)
    this.peakValue = new Float64Array(capacity)
    this.work = new Float64Array(capacity)
  }
}

/**
 * Finds beats in `pulse[0..length)` (oldest first, systole upwards) and summarises them. Peaks
 * are local maxima above PEAK_THRESHOLD_FRACTION of the window maximum, at most one per
 * REFRACTORY_MS, timed to a fraction of a sample by a parabola through the peak and its two
 * neighbours. The rate comes from the median interval, which one missed or extra beat barely moves.
 */
export function analyseBeats(pulse: Float64Array, length: number, sampleRateHz: number, scratch: BeatScratch): BeatAnalysis {
  const beats = findPeaks(pulse, length, sampleRateHz, scratch)
  if (beats < 2) return { beats, medianIntervalMs: Number.NaN, irregularity: Number.NaN }
  const { peakTime, work } = scratch
  const msPerSample = 1000 / sampleRateHz
  for (let k = 1; k < beats; k++) work[k - 1] = (peakTime[k]! - peakTime[k - 1]!) * msPerSample
  const medianIntervalMs = medianInPlace(work, beats - 1)
  let irregularity = 0
  for (let k = 0; k < beats - 1; k++) irregularity = Math.max(irregularity, Math.abs(work[k]! - medianIntervalMs) / medianIntervalMs)
  return { beats, medianIntervalMs, irregularity }
}

/**
 * Median height of the beats analyseBeats() last found in `scratch`, measured on `signal`
 * (the pulse itself, or another channel filtered the same way): the value at each peak minus
 * the lowest value since the previous peak. NaN with fewer than two beats.
 */
export function medianBeatAmplitude(signal: Float64Array, beats: number, scratch: BeatScratch): number {
  if (beats < 2) return Number.NaN
  for (let k = 1; k < beats; k++) scratch.work[k - 1] = beatHeight(signal, scratch, k)
  return medianInPlace(scratch.work, beats - 1)
}

/**
 * Median over beats of height(numerator) / height(denominator), beat by beat: one disturbed beat
 * (motion) barely moves it, and slow baseline wander, which adds the same small offset to each
 * beat of both channels, biases it far less than a ratio of whole-window RMS values would.
 */
export function medianBeatRatio(numerator: Float64Array, denominator: Float64Array, beats: number, scratch: BeatScratch): number {
  if (beats < 2) return Number.NaN
  for (let k = 1; k < beats; k++) scratch.work[k - 1] = beatHeight(numerator, scratch, k) / beatHeight(denominator, scratch, k)
  return medianInPlace(scratch.work, beats - 1)
}

function beatHeight(signal: Float64Array, scratch: BeatScratch, k: number): number {
  const peak = scratch.peakIndex[k]!
  return signal[peak]! - minimum(signal, scratch.peakIndex[k - 1]!, peak)
}

function findPeaks(pulse: Float64Array, length: number, sampleRateHz: number, scratch: BeatScratch): number {
  let highest = Number.NEGATIVE_INFINITY
  for (let i = 0; i < length; i++) highest = Math.max(highest, pulse[i]!)
  if (!(highest > 0)) return 0
  const threshold = PEAK_THRESHOLD_FRACTION * highest
  const refractorySamples = (REFRACTORY_MS * sampleRateHz) / 1000
  const capacity = scratch.peakIndex.length
  let count = 0
  for (let i = 1; i < length - 1; i++) {
    const value = pulse[i]!
    if (value <= threshold || value <= pulse[i - 1]! || value < pulse[i + 1]!) continue
    const replacing = count > 0 && i - scratch.peakIndex[count - 1]! < refractorySamples
    if (replacing && value <= scratch.peakValue[count - 1]!) continue
    const slot = replacing ? count - 1 : count
    if (slot >= capacity) break
    scratch.peakIndex[slot] = i
    scratch.peakValue[slot] = value
    scratch.peakTime[slot] = i + parabolicOffset(pulse[i - 1]!, value, pulse[i + 1]!)
    if (!replacing) count++
  }
  return count
}

/** Vertex of the parabola through three equally spaced samples, relative to the middle one (−0.5..0.5). */
function parabolicOffset(before: number, peak: number, after: number): number {
  const curvature = before - 2 * peak + after
  return curvature === 0 ? 0 : (0.5 * (before - after)) / curvature
}

function minimum(values: Float64Array, from: number, to: number): number {
  let lowest = Number.POSITIVE_INFINITY
  for (let i = from; i <= to; i++) lowest = Math.min(lowest, values[i]!)
  return lowest
}

/** Median of values[0..count); sorts that part in place (insertion sort: count is a few dozen). */
export function medianInPlace(values: Float64Array, count: number): number {
  for (let i = 1; i < count; i++) {
    const value = values[i]!
    let j = i - 1
    while (j >= 0 && values[j]! > value) {
      values[j + 1] = values[j]!
      j--
    }
    values[j + 1] = value
  }
  const middle = count >> 1
  return count % 2 === 1 ? values[middle]! : (values[middle - 1]! + values[middle]!) / 2
}
