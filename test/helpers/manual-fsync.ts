import { fsyncSync } from 'node:fs'
import type { AsyncFsync } from '../../runtime/outbox/outbox.ts'

interface Parked {
  readonly fd: number
  readonly callback: (error: NodeJS.ErrnoException | null) => void
}

/**
 * The outbox's threadpool fsync (OutboxOptions.fsync), completed by the test: every call waits
 * until complete() or fail(). So a test sees what happens before an fsync has completed without
 * depending on how fast the disk is.
 */
export class ManualFsync {
  readonly #parked: Parked[] = []
  readonly fsync: AsyncFsync = (fd, callback) => void this.#parked.push({ fd, callback })

  /** fsyncs started and not completed yet. */
  get waiting(): number {
    return this.#parked.length
  }

  /** Completes every waiting fsync (really fsyncing the fd), then lets the outbox act on it. */
  async complete(): Promise<void> {
    for (const { fd, callback } of this.#parked.splice(0)) {
      fsyncSync(fd)
      callback(null)
    }
    await settle()
  }

  /** Completes fsyncs as they come until `work` (e.g. close()) has settled. */
  async completeUntil(work: Promise<unknown>): Promise<void> {
    let settled = false
    const done = work.finally(() => (settled = true))
    while (!settled) await this.complete()
    await done
  }

  /** Fails every waiting fsync with `code` (EIO: what a failing disk gives), then lets the outbox act on it. */
  async fail(code = 'EIO'): Promise<void> {
    for (const { callback } of this.#parked.splice(0)) callback(Object.assign(new Error(`${code}: i/o error, fsync`), { code }))
    await settle()
  }
}

/** One event-loop turn: every promise chain started by a completed fsync has run by then. */
export function settle(): Promise<void> {
  return new Promise(resolve => setImmediate(resolve))
}
