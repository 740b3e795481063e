import { IndexedHeap, type HeapSlot } from './heap.ts'
import type { Job } from './job.ts'

const WAIT_SLOT: HeapSlot<Job> = { get: job => job.waitIndex, set: (job, index) => void (job.waitIndex = index) }

/** What a shared resource needs from the dispatcher. */
export interface ProcessorControl {
  readonly running: Job | null
  /** The running job gives up the processor (a dispatch point). */
  releaseProcessor(job: Job): void
  /** Queues the job for the processor; resolves when it holds it again, rejects if it was aborted. */
  reacquire(job: Job): Promise<void>
  ranksBefore(a: Job, b: Job): boolean
}

/**
 * A resource several jobs share, such as an I2C bus: one holder at a time, and waiting jobs are
 * granted it in the scheduler's policy order (highest priority / earliest deadline first), not in
 * arrival order. A job that waits gives up the processor meanwhile. Callers that are not jobs
 * (boot, commands) are served after waiting jobs, in arrival order.
 *
 * Not re-entrant: a holder that calls run() again on the same resource waits for itself forever;
 * multi-transaction sequences take the resource once and use an unlocked view inside (the HAL's
 * exclusive()).
 *
 * TODO: no priority inheritance yet. A low-priority holder that sleeps while holding the
 * resource can be kept from the processor by medium-priority jobs while a high-priority job waits.
 * This only arises when a job sleeps while holding a bus; the admission analysis counts the
 * declared hold time as blocking, and drivers keep such sequences short.
 */
export class SharedResource {
  readonly name: string
  readonly #processor: ProcessorControl
  readonly #waitingJobs: IndexedHeap<Job>
  readonly #waitingOthers: (() => void)[] = []
  #held = false

  constructor(name: string, processor: ProcessorControl) {
    this.name = name
    this.#processor = processor
    this.#waitingJobs = new IndexedHeap(WAIT_SLOT, (a, b) => processor.ranksBefore(a, b))
  }

  /** Runs `work` while holding the resource; the resource is released when it settles. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    const job = this.#processor.running
    if (this.#held) {
      if (job === null) await new Promise<void>(resolve => this.#waitingOthers.push(resolve))
      else await this.#waitAsJob(job)
    } else {
      this.#held = true
    }
    try {
      return await work()
    } finally {
      this.#handOver()
    }
  }

  async #waitAsJob(job: Job): Promise<void> {
    this.#processor.releaseProcessor(job)
    const signal = job.controller.signal
    let granted = false
    if (!signal.aborted) {
      await new Promise<void>(resolve => {
        const onAbort = (): void => {
          if (this.#waitingJobs.remove(job)) resolve()
        }
        job.resourceGranted = () => {
          granted = true
          signal.removeEventListener('abort', onAbort)
          resolve()
        }
        this.#waitingJobs.push(job)
        signal.addEventListener('abort', onAbort, { once: true })
      })
      job.resourceGranted = null
    }
    try {
      await this.#processor.reacquire(job) // rejects with the abort reason if the job was aborted
    } catch (error) {
      if (granted) this.#handOver() // run()'s finally is not reached: give the resource on
      throw error
    }
  }

  #handOver(): void {
    const job = this.#waitingJobs.pop()
    if (job !== undefined) {
      job.resourceGranted?.()
      return
    }
    const other = this.#waitingOthers.shift()
    if (other !== undefined) other()
    else this.#held = false
  }
}
