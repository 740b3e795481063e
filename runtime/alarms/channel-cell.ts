import type { TECHNICAL_KINDS } from '../../tasks/vocabulary.ts'

/** Why a channel's value cannot be used now: a fault, too old, or no value at all. */
export type TechnicalKind = (typeof TECHNICAL_KINDS)[number]
export type Trust = 'good' | TechnicalKind

/**
 * One channel as the alarm engine reads it ('lidar.distanceM', a derived 'lidar.timeToCollisionS').
 * The reading pipeline writes it after the filters, in the job that took the sample; conditions
 * read it. One object per channel for the whole run: nothing is allocated per sample.
 */
export interface ChannelCell {
  /** 'task.channel'. */
  readonly key: string
  /** The newest value after the filters (NaN before the first). */
  value: number
  /** Rate of change of `value` per second between the two newest good samples (NaN before two). */
  ratePerS: number
  /** When the newest value was sampled, on the runtime Clock, ms. */
  atMs: number
  /** 'good' or 'fault' as the newest reading said; 'no-data' before the first, after a failed sample, or when the reading lacked the channel. */
  quality: 'good' | 'fault' | 'no-data'
  /** With 'fault' or 'no-data': why ('probe-off', 'signal-low', 'nack', 'absent'…). */
  reason: string | undefined
  /** A good value older than this when it is read is stale. */
  readonly maxAgeMs: number
}

export function channelCell(key: string, maxAgeMs: number): ChannelCell {
  return { key, value: Number.NaN, ratePerS: Number.NaN, atMs: Number.NEGATIVE_INFINITY, quality: 'no-data', reason: 'no reading yet', maxAgeMs }
}

/** Whether the cell's value can be decided on at `nowMs`, and if not, why. */
export function trustOf(cell: ChannelCell, nowMs: number): Trust {
  if (cell.quality !== 'good') return cell.quality
  return nowMs - cell.atMs > cell.maxAgeMs ? 'stale' : 'good'
}
