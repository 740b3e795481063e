import type { LinkState } from '../../runtime/mqtt/link.ts'

/** Records an MqttLink's states (pass `onState`) and waits for one, with a timeout. */
export class LinkStates {
  readonly all: (LinkState & { readonly atMs: number })[] = []
  readonly #waiters = new Set<() => void>()

  readonly onState = (state: LinkState): void => {
    this.all.push({ ...state, atMs: performance.now() })
    for (const wake of this.#waiters) wake()
  }

  /** The first recorded state from `fromIndex` on that satisfies `predicate`. */
  waitFor(predicate: (state: LinkState) => boolean, timeoutMs: number, fromIndex = 0): Promise<LinkState & { readonly atMs: number }> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(check)
        reject(new Error(`no matching link state within ${timeoutMs} ms; saw ${JSON.stringify(this.all.slice(fromIndex))}`))
      }, timeoutMs)
      const check = (): void => {
        const found = this.all.slice(fromIndex).find(predicate)
        if (found === undefined) return
        clearTimeout(timer)
        this.#waiters.delete(check)
        resolve(found)
      }
      this.#waiters.add(check)
      check()
    })
  }

  connected(timeoutMs = 3_000, fromIndex = 0): Promise<LinkState & { readonly atMs: number }> {
    return this.waitFor(state => state.state === 'connected', timeoutMs, fromIndex)
  }

  offline(timeoutMs = 3_000, fromIndex = 0): Promise<LinkState & { readonly atMs: number }> {
    return this.waitFor(state => state.state === 'offline', timeoutMs, fromIndex)
  }
}
