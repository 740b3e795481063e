/**
 * A serial line (UART): a byte stream in each direction.
 *
 * Contract (every implementation passes test/contract/serial-line.contract.ts):
 * - Received bytes reach every `onData` listener in order, each chunk once, stamped with the
 *   runtime Clock's now() when it arrived. Chunk boundaries mean nothing: a frame may arrive in
 *   pieces or several in one chunk, so consumers parse a stream.
 * - A listener added later sees only bytes that arrive after it was added. Nothing is buffered
 *   for absent listeners, so an idle line never grows memory.
 * - `write()` resolves once the bytes are handed to the OS (drained), and rejects with HalError.
 * - Line loss (a USB adapter unplugged, the far end closed) reaches `onError` listeners as HalError
 *   kind 'bus' (or 'closed'); an implementation that reconnects says so in its doc comment.
 * - After close() resolves, write() rejects with kind 'closed' and no listener is called again.
 *   close() is idempotent.
 */
export interface SerialLine {
  /** What the line is, for messages: '/dev/serial0', 'sim:lidar'. */
  readonly path: string
  write(bytes: Uint8Array): Promise<void>
  /** Adds a listener for received bytes; returns the function that removes it. */
  onData(listener: (chunk: Uint8Array, atMs: number) => void): () => void
  /** Adds a listener for line errors; returns the function that removes it. */
  onError(listener: (error: Error) => void): () => void
  close(): Promise<void>
}
