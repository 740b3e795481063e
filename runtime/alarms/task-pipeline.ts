import type { ChannelInfo, Reading } from '../../drivers/sensors/sensor.ts'
import type { ChannelSpec, DerivedSpec } from '../../tasks/alarm-schema.ts'
import { FilterChain } from '../filters/chain.ts'
import type { FilterSample } from '../filters/filter.ts'
import { SlopeWindow } from '../filters/slope.ts'
import type { ChannelCell } from './channel-cell.ts'
import { channelKey } from './channel-space.ts'

/** A device channel: where its value comes from in a reading, and what it goes through. */
interface DeviceChannel {
  readonly info: ChannelInfo
  readonly cell: ChannelCell
  readonly chain: FilterChain
  readonly faultAs: ChannelSpec['faultAs']
  /** Reused for every sample (no allocation per sample). */
  readonly sample: FilterSample
  /** When the filters last stepped on a good value: after a longer gap than the max age they start again. */
  goodAtMs: number
  /** Set when the newest sample is worth reporting (the reporting filters' verdict). */
  reported: boolean
}

interface DerivedChannel {
  readonly spec: DerivedSpec
  readonly cell: ChannelCell
  readonly inputs: readonly ChannelCell[]
  readonly chain: FilterChain
  readonly sample: FilterSample
  readonly slope: SlopeWindow | undefined
  /** The sample time of the newest input pushed into `slope`. */
  slopeAtMs: number
  goodAtMs: number
  reported: boolean
}

export interface TaskPipelineOptions {
  readonly taskId: string
  readonly device: readonly ChannelInfo[]
  readonly processing: Readonly<Record<string, ChannelSpec>>
  readonly derived: readonly DerivedSpec[]
  readonly cells: ReadonlyMap<string, ChannelCell>
}

/**
 * One sample task's reading stages (ARCHITECTURE.md: filters, then derived channels), writing
 * the task's channel cells in place, in the job that took the sample. Per channel:
 * - quality: the reading's, made 'fault' ('implausible') for a value that is not finite or is
 *   outside the range the part can report; a fault listed in `faultAs` becomes that value;
 *   a channel missing from a good reading is 'no-data' ('absent'), from a faulty one 'fault'
 *   with the reading's reason;
 * - only good values go through the filters; the filters forget their history after a gap in
 *   good values longer than the channel's max age;
 * - a derived channel is as good as its worst input.
 * A failed sample (no reading at all) makes every channel 'no-data' with the error's kind.
 */
export class TaskPipeline {
  readonly taskId: string
  readonly #device: readonly DeviceChannel[]
  readonly #derived: readonly DerivedChannel[]

  constructor(options: TaskPipelineOptions) {
    const { taskId, cells } = options
    this.taskId = taskId
    const cell = (ref: string): ChannelCell => {
      const found = cells.get(channelKey(ref, taskId))
      if (found === undefined) throw new RangeError(`no channel ${channelKey(ref, taskId)} (the table was bound, so this is a bug)`)
      return found
    }
    this.#device = options.device.map(info => {
      const spec = options.processing[info.name]
      return { info, cell: cell(info.name), chain: new FilterChain(spec?.filters ?? []), faultAs: spec?.faultAs, sample: { value: 0, atMs: 0, report: true }, goodAtMs: Number.NEGATIVE_INFINITY, reported: false }
    })
    this.#derived = options.derived.map(spec => ({
      spec,
      cell: cell(spec.name),
      inputs: spec.op === 'closing-speed' ? [cell(spec.distance)] : [cell(spec.distance), cell(spec.closingSpeed)],
      chain: new FilterChain(spec.filters),
      sample: { value: 0, atMs: 0, report: true },
      slope: spec.op === 'closing-speed' ? new SlopeWindow(spec.samples) : undefined,
      slopeAtMs: Number.NEGATIVE_INFINITY,
      goodAtMs: Number.NEGATIVE_INFINITY,
      reported: false,
    }))
  }

  /** The cells of the device's channels (what a technical condition without `channels` watches). */
  get deviceCells(): ChannelCell[] {
    return this.#device.map(channel => channel.cell)
  }

  /**
   * The values of the newest sample that its reporting filters let through (telemetry), by
   * channel name; a value that is not finite (an infinite time-to-collision) is null. Allocates:
   * only called when telemetry is on.
   */
  reportedValues(): Record<string, number | null> {
    const values: Record<string, number | null> = {}
    for (const channel of this.#device) if (channel.reported) values[channel.info.name] = finite(channel.cell.value)
    for (const channel of this.#derived) if (channel.reported) values[channel.spec.name] = finite(channel.cell.value)
    return values
  }

  /** Takes one reading through the stages. */
  onReading(reading: Reading): void {
    const fields = reading as unknown as Readonly<Record<string, unknown>>
    for (const channel of this.#device) {
      const raw = fields[channel.info.name]
      this.#updateDevice(channel, typeof raw === 'number' ? raw : undefined, reading)
    }
    for (const channel of this.#derived) this.#updateDerived(channel, reading.atMs)
  }

  /** A sample that failed: nothing can be trusted until the next good reading. */
  onFailure(kind: string): void {
    for (const channel of this.#device) markNoData(channel, kind)
    for (const channel of this.#derived) markNoData(channel, kind)
  }

  #updateDevice(channel: DeviceChannel, raw: number | undefined, reading: Reading): void {
    const { cell, info } = channel
    channel.reported = false
    if (raw === undefined) {
      // A reading without the channel: a fault says why (probe off, warming up); a good reading simply lacks it.
      if (reading.quality === 'fault') setQuality(cell, 'fault', reading.fault ?? 'fault')
      else if (reading.quality === 'good') setQuality(cell, 'no-data', 'absent')
      return
    }
    if (reading.quality === 'stale') return // nothing new: the cell's value ages (trustOf() says stale); the filters are not stepped
    let value = raw
    if (reading.quality === 'fault') {
      const substitute = channel.faultAs
      if (substitute === undefined || reading.fault === undefined || !substitute.reasons.includes(reading.fault)) return void setFault(cell, raw, reading, reading.fault ?? 'fault')
      value = substitute.value
    } else if (!Number.isFinite(raw) || raw < info.min || raw > info.max) {
      return void setFault(cell, raw, reading, 'implausible')
    }
    this.#step(channel, cell, value, reading.atMs)
  }

  #updateDerived(channel: DerivedChannel, atMs: number): void {
    const { cell, inputs, spec } = channel
    channel.reported = false
    let worst: ChannelCell | undefined
    for (const input of inputs) if (input.quality !== 'good') worst ??= input
    if (worst !== undefined) return void setQuality(cell, worst.quality, `${worst.key}: ${worst.reason ?? worst.quality}`)
    // A derived value is as old as its oldest input: built on another task's channel that stopped, it goes stale with it.
    if (spec.op === 'closing-speed') {
      const distance = inputs[0]!
      const slope = channel.slope!
      if (distance.atMs <= channel.slopeAtMs) return // no new distance: nothing to add
      if (distance.atMs - channel.slopeAtMs > cell.maxAgeMs) slope.reset() // a gap: the old points would bend the line
      slope.push(distance.atMs, distance.value)
      channel.slopeAtMs = distance.atMs
      return this.#step(channel, cell, -slope.slopePerS, distance.atMs)
    }
    const [distance, closing] = inputs as [ChannelCell, ChannelCell]
    const value = closing.value > spec.minClosingSpeedMps ? distance.value / closing.value : Number.POSITIVE_INFINITY
    this.#step(channel, cell, value, Math.min(atMs, distance.atMs, closing.atMs))
  }

  #step(channel: DeviceChannel | DerivedChannel, cell: ChannelCell, value: number, atMs: number): void {
    const { sample, chain } = channel
    if (atMs - channel.goodAtMs > cell.maxAgeMs) chain.reset() // a gap in good values: the history is stale
    channel.goodAtMs = atMs
    sample.value = value
    sample.atMs = atMs
    sample.report = true
    chain.apply(sample)
    if (Number.isNaN(sample.value)) return void setQuality(cell, 'no-data', 'warming-up')
    const previousMs = cell.atMs
    cell.ratePerS = cell.quality === 'good' && atMs > previousMs && atMs - previousMs <= cell.maxAgeMs ? ((sample.value - cell.value) * 1000) / (atMs - previousMs) : Number.NaN
    cell.value = sample.value
    cell.atMs = atMs
    cell.quality = 'good'
    cell.reason = undefined
    channel.reported = sample.report
  }
}

const finite = (value: number): number | null => (Number.isFinite(value) ? value : null)

function setQuality(cell: ChannelCell, quality: ChannelCell['quality'], reason: string): void {
  cell.quality = quality
  cell.reason = reason
  cell.ratePerS = Number.NaN
}

function setFault(cell: ChannelCell, raw: number, reading: Reading, reason: string): void {
  cell.value = raw
  cell.atMs = reading.atMs
  setQuality(cell, 'fault', reason)
}

function markNoData(channel: { readonly cell: ChannelCell; reported: boolean }, kind: string): void {
  channel.reported = false
  setQuality(channel.cell, 'no-data', kind)
}
