import type { HalErrorKind } from '../hal/errors.ts'

/** What happened on one address since the bus was opened. */
export interface I2cAddressStats {
  /** Calls made (a call with retries counts once). */
  readonly transactions: number
  /** Attempts repeated after a nack or timeout. */
  readonly retries: number
  /** Failed attempts, by kind (a call that succeeded on a retry still counts its failures here). */
  readonly failures: Readonly<Partial<Record<HalErrorKind, number>>>
}

interface Counters {
  transactions: number
  retries: number
  failures: Partial<Record<HalErrorKind, number>>
}

/** Per-address counters for one bus. */
export class I2cStats {
  readonly #byAddress = new Map<number, Counters>()

  transaction(address: number): void {
    this.#counters(address).transactions++
  }

  retry(address: number): void {
    this.#counters(address).retries++
  }

  failure(address: number, kind: HalErrorKind): void {
    const { failures } = this.#counters(address)
    failures[kind] = (failures[kind] ?? 0) + 1
  }

  /** A copy: later traffic does not change it. */
  snapshot(): ReadonlyMap<number, I2cAddressStats> {
    return new Map([...this.#byAddress].map(([address, counters]) => [address, { ...counters, failures: { ...counters.failures } }]))
  }

  #counters(address: number): Counters {
    let counters = this.#byAddress.get(address)
    if (counters === undefined) {
      counters = { transactions: 0, retries: 0, failures: {} }
      this.#byAddress.set(address, counters)
    }
    return counters
  }
}
