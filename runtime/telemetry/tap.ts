import type { Reading } from '../../drivers/sensors/sensor.ts'
import type { Clock } from '../clock.ts'

/** A reading on its way from the rt thread to the telemetry on the main thread (plain data). */
export interface TapEntry {
  readonly taskId: string
  /** Epoch ms of the sample. */
  readonly t: number
  readonly quality: Reading['quality']
  readonly fault?: string
  readonly values: Readonly<Record<string, number | null>>
}

/** How often the rt thread hands readings over, ms: one message per interval, not one per reading. */
export const TAP_FLUSH_MS = 50

/**
 * Collects readings where they are taken (the rt thread) and hands them to the main thread's
 * telemetry every TAP_FLUSH_MS, so the sampling jobs never wait on the network side and the
 * thread boundary is crossed ~20 times a second whatever the sample rate.
 */
export class TelemetryTap {
  readonly #clock: Clock
  readonly #wallNow: () => number
  readonly #post: (entries: TapEntry[]) => void
  #entries: TapEntry[] = []
  readonly #stop = new AbortController()
  #loop: Promise<void> | undefined

  constructor(clock: Clock, wallNow: () => number, post: (entries: TapEntry[]) => void) {
    this.#clock = clock
    this.#wallNow = wallNow
    this.#post = post
  }

  add(taskId: string, reading: Reading, values: Readonly<Record<string, number | null>>): void {
    const t = this.#wallNow() - this.#clock.now() + reading.atMs
    this.#entries.push(reading.fault === undefined ? { taskId, t, quality: reading.quality, values } : { taskId, t, quality: reading.quality, fault: reading.fault, values })
  }

  start(): void {
    this.#loop ??= this.#run()
  }

  /** Stops the timer and hands over what is left. */
  async stop(): Promise<void> {
    this.#stop.abort()
    await this.#loop
    this.#flush()
  }

  async #run(): Promise<void> {
    while (!this.#stop.signal.aborted) {
      try {
        await this.#clock.sleep(TAP_FLUSH_MS, this.#stop.signal)
      } catch {
        return
      }
      this.#flush()
    }
  }

  #flush(): void {
    if (this.#entries.length === 0) return
    const entries = this.#entries
    this.#entries = []
    this.#post(entries)
  }
}
