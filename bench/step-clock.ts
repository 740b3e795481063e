import type { Clock } from '../runtime/clock.ts'

/**
 * A clock for micro-benchmarks: time moves only in step(), and step() resolves as soon as the
 * scheduler loop has gone back to sleep, so one step measures exactly one loop iteration and
 * nothing else (no timers, no setImmediate rounds as in VirtualClock.advance).
 */
export class StepClock implements Clock {
  #nowMs = 0
  #wake: (() => void) | undefined
  #onSleep: (() => void) | undefined

  now(): number {
    return this.#nowMs
  }

  sleep(_ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => reject(signal?.reason as unknown)
      signal?.addEventListener('abort', onAbort, { once: true })
      this.#wake = () => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }
      const onSleep = this.#onSleep
      this.#onSleep = undefined
      onSleep?.()
    })
  }

  #previousStep: Promise<void> = Promise.resolve()

  /**
   * Moves time by `ms`, wakes the sleeper, and resolves when it sleeps again. Steps queue behind
   * each other (tinybench calls the function once without awaiting, to see if it is async).
   */
  step(ms: number): Promise<void> {
    this.#previousStep = this.#previousStep.then(() => this.#step(ms))
    return this.#previousStep
  }

  #step(ms: number): Promise<void> {
    this.#nowMs += ms
    const sleptAgain = new Promise<void>(resolve => (this.#onSleep = resolve))
    const wake = this.#wake
    this.#wake = undefined
    wake?.()
    return sleptAgain
  }
}
