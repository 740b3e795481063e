import type { Reading } from '../../drivers/sensors/sensor.ts'

/** The newest reading of each sample task and how many it took: what the live view shows. */
export class LatestReadings {
  readonly #byTask = new Map<string, { reading: Reading; count: number }>()

  put(taskId: string, reading: Reading): void {
    const entry = this.#byTask.get(taskId)
    if (entry === undefined) this.#byTask.set(taskId, { reading, count: 1 })
    else {
      entry.reading = reading
      entry.count++
    }
  }

  /** Plain data (it crosses the thread boundary): task id → newest reading and count. */
  snapshot(): Record<string, { readonly reading: Reading; readonly count: number }> {
    return Object.fromEntries([...this.#byTask].map(([taskId, entry]) => [taskId, { reading: entry.reading, count: entry.count }]))
  }
}
