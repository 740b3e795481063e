import type { I2cBus } from '../../drivers/hal/i2c.ts'

/** What arbitrates a bus: the scheduler's SharedResource for it (runtime/scheduler/resource.ts). */
export interface BusArbiter {
  run<T>(work: () => Promise<T>): Promise<T>
}

/**
 * An I2cBus whose transactions are granted in the scheduler's policy order (issue "Hardware
 * layer": a high-priority or earliest-deadline job's transaction goes before queued low-priority
 * ones). Each call takes the arbiter for one transaction, so a driver that waits between two
 * transactions (a conversion time) does not hold the bus meanwhile; exclusive() holds it for
 * the whole sequence. The bus below still serialises with its own FIFO lock, which then never
 * has more than one caller waiting.
 */
export function arbitratedI2cBus(bus: I2cBus, arbiter: BusArbiter): I2cBus {
  return {
    writeRead: (address, bytes, length) => arbiter.run(() => bus.writeRead(address, bytes, length)),
    write: (address, bytes) => arbiter.run(() => bus.write(address, bytes)),
    read: (address, length) => arbiter.run(() => bus.read(address, length)),
    exclusive: work => arbiter.run(() => bus.exclusive(work)),
    close: () => bus.close(),
  }
}
