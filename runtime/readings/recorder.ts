import { createWriteStream, type WriteStream } from 'node:fs'
import type { Reading } from '../../drivers/sensors/sensor.ts'
import { headerLine, readingLine, type RecordingHeader } from './recording.ts'

/** Lines held in memory at most while the disk is slow; beyond this readings are counted as dropped, never block the job. */
const MAX_PENDING_BYTES = 4 * 1024 * 1024

/**
 * Writes raw readings as NDJSON (recording.ts) without ever blocking the sampling job: lines go
 * to a write stream (the disk work happens on libuv's threadpool), and when the disk falls more
 * than MAX_PENDING_BYTES behind, readings are dropped and counted instead of queued.
 */
export class Recorder {
  readonly #stream: WriteStream
  #failure: Error | undefined
  dropped = 0
  written = 0

  constructor(file: string, header: Omit<RecordingHeader, 'edgert' | 'version'>) {
    this.#stream = createWriteStream(file, { flags: 'w' })
    this.#stream.on('error', error => {
      this.#failure ??= error
    })
    this.#stream.write(headerLine(header))
  }

  /** The first write error, if the file could not be written (reported by the run at the end). */
  get failure(): Error | undefined {
    return this.#failure
  }

  record(task: string, device: string, reading: Reading): void {
    if (this.#failure !== undefined || this.#stream.writableLength > MAX_PENDING_BYTES) {
      this.dropped++
      return
    }
    this.#stream.write(readingLine(task, device, reading))
    this.written++
  }

  close(): Promise<void> {
    return new Promise(resolve => this.#stream.end(resolve))
  }
}
