import { spawn, spawnSync, type ChildProcess } from 'node:child_process'

/** Two pseudo-terminals joined back to back by socat: what one end writes, the other reads. */
export interface PtyPair {
  readonly paths: readonly [string, string]
  /** Ends socat (the PTYs vanish, as an unplugged USB adapter does) and waits for it to exit. */
  stop(): Promise<void>
}

/** Whether socat can be run here. */
export function socatAvailable(): boolean {
  return spawnSync('socat', ['-V'], { stdio: 'ignore' }).error === undefined
}

/**
 * Starts `socat -d -d pty,raw,echo=0 pty,raw,echo=0` and reads the two PTY paths from its notices
 * on stderr ("N PTY is /dev/pts/3", twice, then "N starting data transfer loop"). With `links`,
 * socat also makes symlinks with those names, so a restarted socat can appear at the same paths.
 */
export async function startPtyPair(links?: readonly [string, string], timeoutMs = 3000): Promise<PtyPair> {
  const end = (link: string | undefined) => `pty,raw,echo=0${link === undefined ? '' : `,link=${link}`}`
  const socat = spawn('socat', ['-d', '-d', end(links?.[0]), end(links?.[1])], { stdio: ['ignore', 'ignore', 'pipe'] })
  const exited = new Promise<void>(resolve => socat.once('exit', () => resolve()))
  try {
    const ptys = await ptyPaths(socat, timeoutMs)
    return {
      paths: links ?? ptys,
      stop: async () => {
        if (socat.exitCode === null && socat.signalCode === null) socat.kill('SIGTERM')
        await exited
      },
    }
  } catch (error) {
    socat.kill('SIGKILL')
    await exited
    throw error
  }
}

function ptyPaths(socat: ChildProcess, timeoutMs: number): Promise<[string, string]> {
  return new Promise((resolve, reject) => {
    let notices = ''
    const timer = setTimeout(() => fail(new Error(`socat gave no PTY paths within ${timeoutMs} ms:\n${notices}`)), timeoutMs)
    const fail = (error: Error): void => {
      clearTimeout(timer)
      reject(error)
    }
    socat.once('error', fail)
    socat.once('exit', code => fail(new Error(`socat exited (${code}) before its data loop:\n${notices}`)))
    socat.stderr?.on('data', (chunk: Buffer) => {
      notices += chunk.toString()
      const paths = [...notices.matchAll(/ PTY is (\S+)/g)].map(match => match[1]!)
      if (paths.length === 2 && notices.includes('starting data transfer loop')) {
        clearTimeout(timer)
        resolve([paths[0]!, paths[1]!])
      }
    })
  })
}
