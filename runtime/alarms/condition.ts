import type { ConditionSpec } from '../../tasks/alarm-schema.ts'
import { trustOf, type ChannelCell, type TechnicalKind } from './channel-cell.ts'

/** A condition's raw result: 'unknown' when a value it needs cannot be trusted now. */
export type Truth = 'true' | 'false' | 'unknown'

/**
 * An alarm's `when`, compiled against the channel cells it reads.
 *
 * Contract:
 * - evaluate() reads the cells as they are at `nowMs` and allocates nothing: it runs in the
 *   sampling job, once per sample. Every leaf is evaluated every time (no short circuit), so each
 *   level leaf keeps its hysteresis up to date.
 * - A level leaf gives 'unknown' when its cell is not trusted (trustOf() !== 'good') or its value
 *   is NaN, and keeps its hysteresis state as it was. A technical leaf is never 'unknown'.
 * - all: 'false' if any child is false, else 'unknown' if any is unknown, else 'true'.
 *   any: 'true' if any child is true, else 'unknown' if any is unknown, else 'false'.
 */
export interface Condition {
  evaluate(nowMs: number): Truth
  /** Every leaf is technical (about trust); a tree never mixes technical and level leaves. */
  readonly technical: boolean
  /** Every distinct cell the condition reads, in the order the table names them. */
  readonly cells: readonly ChannelCell[]
  /** Every leaf back to inactive (used when a persisted state is restored). */
  reset(): void
  /** A single level leaf's thresholds, which an operator may move within the table's bounds (`adjustable`); undefined for other conditions. */
  readonly thresholds?: AdjustableThresholds
}

export type ThresholdName = 'setAbove' | 'clearAbove' | 'setBelow' | 'clearBelow'

export interface AdjustableThresholds {
  /** The current value of each threshold the leaf has. */
  current(): Partial<Record<ThresholdName, number>>
  /** Moves one threshold; refused (a reason) when the leaf has no such threshold or the order set/clear would break. */
  set(name: ThresholdName, value: number): string | undefined
}

/**
 * Compiles a table condition. `resolve` maps a channel reference as written in the table
 * ('distanceM', 'lidar.distanceM') to its cell; the caller has validated the references.
 * `ownCells` are the cells of the alarm's own task: a technical leaf without `channels` reads them.
 *
 * Throws RangeError when the tree mixes technical and level leaves, when a level leaf has no set
 * threshold, or when a clear threshold lies on the wrong side of its set threshold.
 */
export function compileCondition(spec: ConditionSpec, resolve: (ref: string) => ChannelCell, ownCells: readonly ChannelCell[]): Condition {
  return compile(spec, resolve, ownCells, 'when')
}

function compile(spec: ConditionSpec, resolve: (ref: string) => ChannelCell, ownCells: readonly ChannelCell[], path: string): Condition {
  if ('all' in spec) return composite(true, spec.all.map((child, i) => compile(child, resolve, ownCells, `${path}.all[${i}]`)), path)
  if ('any' in spec) return composite(false, spec.any.map((child, i) => compile(child, resolve, ownCells, `${path}.any[${i}]`)), path)
  if ('technical' in spec) {
    const cells = spec.channels === undefined ? ownCells : spec.channels.map(resolve)
    return new TechnicalLeaf(distinct([cells]), spec.technical, spec.reasons)
  }
  checkThresholds(spec, path)
  return new LevelLeaf(resolve(spec.channel), spec)
}

type LevelSpec = Extract<ConditionSpec, { channel: string }>

function checkThresholds(spec: LevelSpec, path: string): void {
  const { setAbove, clearAbove, setBelow, clearBelow } = spec
  if (setAbove === undefined && setBelow === undefined) throw new RangeError(`${path}: a level condition needs setAbove or setBelow`)
  if (clearAbove !== undefined && setAbove === undefined) throw new RangeError(`${path}: clearAbove without setAbove`)
  if (clearBelow !== undefined && setBelow === undefined) throw new RangeError(`${path}: clearBelow without setBelow`)
  // A clear threshold past its set threshold would make the leaf flip on every sample between them.
  if (clearAbove !== undefined && setAbove !== undefined && clearAbove > setAbove) {
    throw new RangeError(`${path}: clearAbove (${clearAbove}) must not be above setAbove (${setAbove})`)
  }
  if (clearBelow !== undefined && setBelow !== undefined && clearBelow < setBelow) {
    throw new RangeError(`${path}: clearBelow (${clearBelow}) must not be below setBelow (${setBelow})`)
  }
}

function composite(all: boolean, children: readonly Condition[], path: string): Condition {
  const technical = children.every(child => child.technical)
  if (!technical && children.some(child => child.technical)) {
    throw new RangeError(`${path}: a condition cannot mix technical and level leaves`)
  }
  return new Composite(all, children, technical)
}

function distinct(lists: readonly (readonly ChannelCell[])[]): readonly ChannelCell[] {
  return [...new Set(lists.flat())]
}

/** Threshold with hysteresis on one cell's value or rate. */
class LevelLeaf implements Condition {
  readonly technical = false
  readonly cells: readonly ChannelCell[]
  readonly #cell: ChannelCell
  readonly #ofRate: boolean
  // An absent threshold is NaN: every comparison with NaN is false, so that part never activates.
  #setAbove: number
  #clearAbove: number
  #setBelow: number
  #clearBelow: number
  readonly thresholds: AdjustableThresholds
  #aboveActive = false
  #belowActive = false

  constructor(cell: ChannelCell, spec: LevelSpec) {
    this.#cell = cell
    this.cells = [cell]
    this.#ofRate = spec.of === 'rate'
    this.#setAbove = spec.setAbove ?? Number.NaN
    this.#clearAbove = spec.clearAbove ?? this.#setAbove
    this.#setBelow = spec.setBelow ?? Number.NaN
    this.#clearBelow = spec.clearBelow ?? this.#setBelow
    this.thresholds = { current: () => this.#current(), set: (name, value) => this.#set(name, value) }
  }

  #current(): Partial<Record<ThresholdName, number>> {
    const entries: [ThresholdName, number][] = [['setAbove', this.#setAbove], ['clearAbove', this.#clearAbove], ['setBelow', this.#setBelow], ['clearBelow', this.#clearBelow]]
    return Object.fromEntries(entries.filter(([, value]) => !Number.isNaN(value)))
  }

  #set(name: ThresholdName, value: number): string | undefined {
    if (!Number.isFinite(value)) return `${name} must be a finite number`
    const next = { ...this.#current(), [name]: value }
    if ((name === 'setAbove' || name === 'clearAbove') && Number.isNaN(this.#setAbove)) return `this condition has no ${name}`
    if ((name === 'setBelow' || name === 'clearBelow') && Number.isNaN(this.#setBelow)) return `this condition has no ${name}`
    if (next.clearAbove !== undefined && next.setAbove !== undefined && next.clearAbove > next.setAbove) return `clearAbove (${next.clearAbove}) must not be above setAbove (${next.setAbove})`
    if (next.clearBelow !== undefined && next.setBelow !== undefined && next.clearBelow < next.setBelow) return `clearBelow (${next.clearBelow}) must not be below setBelow (${next.setBelow})`
    if (next.setAbove !== undefined && next.setBelow !== undefined && next.setBelow >= next.setAbove) return `setBelow (${next.setBelow}) must be below setAbove (${next.setAbove})`
    this.#setAbove = next.setAbove ?? Number.NaN
    this.#clearAbove = next.clearAbove ?? Number.NaN
    this.#setBelow = next.setBelow ?? Number.NaN
    this.#clearBelow = next.clearBelow ?? Number.NaN
    return undefined
  }

  evaluate(nowMs: number): Truth {
    const cell = this.#cell
    const x = this.#ofRate ? cell.ratePerS : cell.value
    if (trustOf(cell, nowMs) !== 'good' || Number.isNaN(x)) return 'unknown'
    // A value equal to a threshold keeps the current state (strict comparisons both ways).
    if (this.#aboveActive) {
      if (x < this.#clearAbove) this.#aboveActive = false
    } else if (x > this.#setAbove) this.#aboveActive = true
    if (this.#belowActive) {
      if (x > this.#clearBelow) this.#belowActive = false
    } else if (x < this.#setBelow) this.#belowActive = true
    return this.#aboveActive || this.#belowActive ? 'true' : 'false'
  }

  reset(): void {
    this.#aboveActive = false
    this.#belowActive = false
  }
}

/** True while any of its cells has one of the listed trust kinds (and, for fault/no-data, a listed reason). */
class TechnicalLeaf implements Condition {
  readonly technical = true
  readonly cells: readonly ChannelCell[]
  readonly #fault: boolean
  readonly #stale: boolean
  readonly #noData: boolean
  /** null: any reason. A stale cell has no reason of its own, so this filter never applies to 'stale'. */
  readonly #reasons: ReadonlySet<string> | null

  constructor(cells: readonly ChannelCell[], kinds: readonly TechnicalKind[], reasons: readonly string[] | undefined) {
    this.cells = cells
    this.#fault = kinds.includes('fault')
    this.#stale = kinds.includes('stale')
    this.#noData = kinds.includes('no-data')
    this.#reasons = reasons === undefined ? null : new Set(reasons)
  }

  evaluate(nowMs: number): Truth {
    const cells = this.cells
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i]!
      if (this.#matches(cell, nowMs)) return 'true'
    }
    return 'false'
  }

  #matches(cell: ChannelCell, nowMs: number): boolean {
    switch (trustOf(cell, nowMs)) {
      case 'good':
        return false
      case 'stale':
        return this.#stale
      case 'fault':
        return this.#fault && this.#reasonMatches(cell.reason)
      case 'no-data':
        return this.#noData && this.#reasonMatches(cell.reason)
    }
  }

  #reasonMatches(reason: string | undefined): boolean {
    return this.#reasons === null || (reason !== undefined && this.#reasons.has(reason))
  }

  reset(): void {}
}

/** all / any over children, with three-valued logic. */
class Composite implements Condition {
  readonly technical: boolean
  readonly cells: readonly ChannelCell[]
  readonly #all: boolean
  readonly #children: readonly Condition[]

  constructor(all: boolean, children: readonly Condition[], technical: boolean) {
    this.#all = all
    this.#children = children
    this.technical = technical
    this.cells = distinct(children.map(child => child.cells))
  }

  evaluate(nowMs: number): Truth {
    let sawTrue = false
    let sawFalse = false
    let sawUnknown = false
    const children = this.#children
    for (let i = 0; i < children.length; i++) {
      const truth = children[i]!.evaluate(nowMs)
      if (truth === 'true') sawTrue = true
      else if (truth === 'false') sawFalse = true
      else sawUnknown = true
    }
    if (this.#all) return sawFalse ? 'false' : sawUnknown ? 'unknown' : 'true'
    return sawTrue ? 'true' : sawUnknown ? 'unknown' : 'false'
  }

  reset(): void {
    for (const child of this.#children) child.reset()
  }
}
