import { spawn } from 'node:child_process'

/** Background load during one jitter measurement. */
export type JitterLoad = 'idle' | 'gc' | 'cpu'

/** Stops a load and resolves once it has stopped. */
export type StopLoad = () => Promise<void>

/** Retained ring and chunk size of the GC load, as in the reference (timing-and-throughput.md 1.1). */
const GC_RING_ENTRIES = 400_000
const GC_CHUNK_OBJECTS = 1_500

/** Starts `load` on the calling thread (gc) or in a child process (cpu). */
export function startLoad(load: JitterLoad, maxDurationMs: number): StopLoad {
  if (load === 'gc') return startGcLoad()
  if (load === 'cpu') return startCpuLoad(maxDurationMs)
  return () => Promise.resolve()
}

/**
 * Keeps V8 busy on this thread: setImmediate chunks each allocate ~1 500 small objects into a
 * 400 000-entry retained ring, so objects live long enough to be promoted and both scavenges
 * and mark-compacts run constantly, while the event loop still turns between chunks.
 */
function startGcLoad(): StopLoad {
  const ring: unknown[] = new Array<unknown>(GC_RING_ENTRIES).fill(null)
  let cursor = 0
  let running = true
  const chunk = (): void => {
    if (!running) return
    for (let i = 0; i < GC_CHUNK_OBJECTS; i++) {
      ring[cursor] = { index: cursor, values: [i, i + 1], label: `o${i}` }
      cursor = cursor === GC_RING_ENTRIES - 1 ? 0 : cursor + 1
    }
    setImmediate(chunk)
  }
  setImmediate(chunk)
  return () => {
    running = false
    ring.fill(null)
    return Promise.resolve()
  }
}

/**
 * One core busy in another process. The child spins in 50 ms slices and exits when its stdin
 * closes (which also happens when this process dies, even by SIGKILL) or after its own time
 * limit, so a crashed bench never leaves a spinning process behind.
 */
function startCpuLoad(maxDurationMs: number): StopLoad {
  const limitMs = Math.ceil(maxDurationMs + 5_000)
  const script = `
    process.stdin.on('end', () => process.exit(0)).on('error', () => process.exit(0)).resume()
    const stopAt = Date.now() + ${limitMs}
    const spin = () => {
      const sliceEnd = Date.now() + 50
      while (Date.now() < sliceEnd);
      if (Date.now() > stopAt) process.exit(0)
      setImmediate(spin)
    }
    spin()`
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'ignore', 'inherit'] })
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()))
  return async () => {
    child.stdin.end()
    await exited
  }
}
