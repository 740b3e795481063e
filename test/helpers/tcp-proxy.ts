import { createConnection, createServer, type Socket } from 'node:net'

/**
 * A TCP relay on loopback between a client under test and a broker, to break the network in
 * ways a broker cannot be asked to: `cut()` destroys every relayed connection (as a crash or a
 * pulled cable would, with no MQTT DISCONNECT), `freeze()` stops relaying while keeping the
 * sockets open (a hung peer: nothing is answered, nothing is closed), for the connections it
 * holds and for any it accepts later (a black-holed broker).
 */
export interface TcpProxy {
  /** `mqtt://127.0.0.1:<port>` */
  readonly url: string
  readonly port: number
  cut(): void
  freeze(): void
  close(): Promise<void>
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>()
  let frozen = false
  const server = createServer(downstream => {
    const upstream = createConnection({ port: targetPort, host: '127.0.0.1' })
    const pair: [Socket, Socket] = [downstream, upstream]
    pairs.add(pair)
    for (const socket of pair) {
      // Both legs with no-delay, so the relay adds no Nagle delay of its own.
      socket.setNoDelay(true)
      socket.on('error', () => undefined)
      // A hung peer closes nothing: while frozen, one leg closing (the broker's own keep-alive
      // giving up on the silent relay) is not passed on; cut() and close() still end both.
      socket.once('close', () => {
        if (frozen) return
        pairs.delete(pair)
        for (const other of pair) other.destroy()
      })
    }
    if (frozen) {
      downstream.pause()
      upstream.pause()
    } else {
      downstream.pipe(upstream)
      upstream.pipe(downstream)
    }
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as { port: number }
  const cut = (): void => {
    for (const pair of pairs) for (const socket of pair) socket.destroy()
  }
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    cut,
    freeze: () => {
      frozen = true
      for (const [downstream, upstream] of pairs) {
        downstream.unpipe(upstream)
        upstream.unpipe(downstream)
        downstream.pause()
        upstream.pause()
      }
    },
    close: async () => {
      const closed = new Promise<void>(resolve => server.close(() => resolve()))
      cut()
      await closed
    },
  }
}
