import { createServer, type Server, type Socket } from 'node:net'
import { Aedes } from 'aedes'

export interface EmbeddedBrokerOptions {
  /** Default 127.0.0.1: the embedded broker is for this device only; anything else is a deployment decision. */
  readonly host?: string
  /** Default 1883; 0 picks a free port (read it back from `port`). */
  readonly port?: number
}

export interface EmbeddedBroker {
  /** `mqtt://host:port`, ready for MqttLink. */
  readonly url: string
  readonly port: number
  /** Ends every client connection and stops listening; resolves within ~CLOSE_WAIT_MS. Idempotent. */
  close(): Promise<void>
}

const DEFAULT_HOST = '127.0.0.1'
const DEFAULT_PORT = 1883
/** aedes' own default is 60 s; a frozen subscriber should not hold up everyone's delivery that long (aedes docs/Aedes.md). */
const DRAIN_TIMEOUT_MS = 10_000
/** aedes defaults to the MQTT-3.1.3-5 minimum of 23 bytes; device ids such as `edgert-vehicle-braking-01` are longer. */
const MAX_CLIENT_ID_LENGTH = 128
/** aedes close() takes a callback that a stuck client can delay; we stop waiting after this. */
const CLOSE_WAIT_MS = 2_000

/**
 * The zero-setup broker (ARCHITECTURE.md decision 8): aedes in this process, MQTT 3.1.1 only
 * (a v5 CONNECT is refused with "Unacceptable protocol version": dependencies.md §5).
 *
 * Persistence is aedes' in-memory default: retained messages, wills and sessions are lost when
 * the process restarts. That is acceptable because the device's own outbox, not the broker,
 * keeps undelivered records. For restart-durable sessions use mosquitto.
 *
 * Rejects (and leaves nothing running) if the port cannot be bound, e.g. EADDRINUSE.
 */
export async function startEmbeddedBroker(options: EmbeddedBrokerOptions = {}): Promise<EmbeddedBroker> {
  const host = options.host ?? DEFAULT_HOST
  const broker = await Aedes.createBroker({ drainTimeout: DRAIN_TIMEOUT_MS, maxClientsIdLength: MAX_CLIENT_ID_LENGTH })
  const sockets = new Set<Socket>()
  const server = createServer(socket => {
    // See runtime/mqtt/connection.ts setNoDelay: the broker's forwarding write must not wait for
    // the subscriber's delayed ACK either.
    socket.setNoDelay(true)
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
    broker.handle(socket)
  })
  try {
    await listen(server, options.port ?? DEFAULT_PORT, host)
  } catch (error) {
    await closeBroker(broker)
    throw error
  }
  // After listen, a server 'error' (e.g. EMFILE on accept) must not crash the device.
  server.on('error', error => process.emitWarning(`embedded MQTT broker: ${error.message}`, { code: 'EDGERT_MQTT_BROKER' }))
  const { port } = server.address() as { port: number }
  let closing: Promise<void> | undefined
  return {
    url: `mqtt://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: () => (closing ??= shutDown(server, broker, sockets)),
  }
}

async function shutDown(server: Server, broker: Aedes, sockets: Set<Socket>): Promise<void> {
  const stopped = new Promise<void>(resolve => server.close(() => resolve()))
  await closeBroker(broker)
  // Whatever aedes did not close in time (or half-open sockets) is cut here, so server.close() can finish.
  for (const socket of sockets) socket.destroy()
  await stopped
}

/** aedes close(cb) closes every client, then its message queue; bounded, because a stuck client can delay cb. */
async function closeBroker(broker: Aedes): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  await Promise.race([
    new Promise<void>(resolve => broker.close(() => resolve())),
    new Promise<void>(resolve => (timer = setTimeout(resolve, CLOSE_WAIT_MS))),
  ])
  clearTimeout(timer)
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (error: Error): void => reject(error)
    server.once('error', onError)
    server.listen(port, host, () => {
      server.off('error', onError)
      resolve()
    })
  })
}
