import type { TelemetryReading } from './messages.ts'

export interface BatchLimits {
  /** A batch is sent when it has this many readings … */
  readonly maxReadings: number
  /** … or when its oldest reading has waited this long, ms. */
  readonly maxDelayMs: number
}

export const DEFAULT_BATCH_LIMITS: BatchLimits = { maxReadings: 50, maxDelayMs: 200 }

/**
 * Micro-batching of telemetry per task, by count and by time (ARCHITECTURE.md: "alarms never
 * wait in a batch" — they do not come here). Gives each reading its `seq`, consecutive per task
 * from 1 within a boot, so a subscriber can see any gap. Time comes from the caller (`nowMs`),
 * and `due()` says when the next time-based flush is needed.
 */
export class TelemetryBatcher {
  readonly #limits: (taskId: string) => BatchLimits
  readonly #onBatch: (taskId: string, readings: TelemetryReading[]) => void
  readonly #open = new Map<string, { readings: TelemetryReading[]; firstAtMs: number }>()
  readonly #seq = new Map<string, number>()

  constructor(limits: (taskId: string) => BatchLimits, onBatch: (taskId: string, readings: TelemetryReading[]) => void) {
    this.#limits = limits
    this.#onBatch = onBatch
  }

  /** Adds a reading (without its seq: it is given here). */
  add(taskId: string, reading: Omit<TelemetryReading, 'seq'>, nowMs: number): void {
    const seq = (this.#seq.get(taskId) ?? 0) + 1
    this.#seq.set(taskId, seq)
    let batch = this.#open.get(taskId)
    if (batch === undefined) this.#open.set(taskId, (batch = { readings: [], firstAtMs: nowMs }))
    batch.readings.push({ seq, ...reading })
    if (batch.readings.length >= this.#limits(taskId).maxReadings) this.#flush(taskId)
  }

  /** Sends every batch whose oldest reading has waited its maxDelayMs by `nowMs`. */
  tick(nowMs: number): void {
    for (const [taskId, batch] of [...this.#open]) if (nowMs - batch.firstAtMs >= this.#limits(taskId).maxDelayMs) this.#flush(taskId)
  }

  /** When the next time-based flush is due (Infinity: nothing is waiting). */
  get dueAtMs(): number {
    let due = Number.POSITIVE_INFINITY
    for (const [taskId, batch] of this.#open) due = Math.min(due, batch.firstAtMs + this.#limits(taskId).maxDelayMs)
    return due
  }

  /** Sends everything now (stopping). */
  flushAll(): void {
    for (const taskId of [...this.#open.keys()]) this.#flush(taskId)
  }

  #flush(taskId: string): void {
    const batch = this.#open.get(taskId)
    if (batch === undefined) return
    this.#open.delete(taskId)
    this.#onBatch(taskId, batch.readings)
  }
}
