import { connectAsync, type MqttClient } from 'mqtt'

export interface ReceivedMessage {
  readonly topic: string
  readonly payload: Buffer
  readonly retain: boolean
  /** performance.now() when mqtt.js handed it over. */
  readonly atMs: number
}

/**
 * Another client on the broker, plain mqtt.js (not our link), to watch what the link sends or to
 * send it messages. Subscriptions are QoS 0 unless asked, so the peer adds no PUBACK traffic.
 */
export interface MqttPeer {
  readonly client: MqttClient
  readonly received: readonly ReceivedMessage[]
  subscribe(topicFilter: string, qos?: 0 | 1): Promise<void>
  publish(topic: string, payload: string | Buffer, options?: { qos?: 0 | 1; retain?: boolean }): Promise<void>
  /** The first message on `topic` received from index `fromIndex` on (default: any so far or later). */
  message(topic: string, timeoutMs?: number, fromIndex?: number): Promise<ReceivedMessage>
  close(): Promise<void>
}

export async function connectPeer(url: string, options: { noDelay?: boolean; protocolVersion?: 4 | 5 } = {}): Promise<MqttPeer> {
  const client = await connectAsync(url, {
    clientId: `peer-${Math.random().toString(36).slice(2, 10)}`,
    protocolVersion: options.protocolVersion ?? 4,
    reconnectPeriod: 0,
    connectTimeout: 2_000,
  })
  if (options.noDelay !== false) (client.stream as { setNoDelay?: (on: boolean) => unknown }).setNoDelay?.(true)
  client.on('error', () => undefined)
  const received: ReceivedMessage[] = []
  const waiters = new Set<() => void>()
  client.on('message', (topic, payload, packet) => {
    received.push({ topic, payload, retain: packet.retain, atMs: performance.now() })
    for (const wake of waiters) wake()
  })
  return {
    client,
    received,
    subscribe: async (topicFilter, qos = 0) => {
      await client.subscribeAsync(topicFilter, { qos })
    },
    publish: async (topic, payload, publishOptions = {}) => {
      await client.publishAsync(topic, payload, { qos: publishOptions.qos ?? 1, retain: publishOptions.retain ?? false })
    },
    message: (topic, timeoutMs = 3_000, fromIndex = 0) =>
      new Promise<ReceivedMessage>((resolve, reject) => {
        const find = (): ReceivedMessage | undefined => received.slice(fromIndex).find(message => message.topic === topic)
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`no message on ${topic} within ${timeoutMs} ms`))
        }, timeoutMs)
        const check = (): void => {
          const found = find()
          if (found === undefined) return
          clearTimeout(timer)
          waiters.delete(check)
          resolve(found)
        }
        waiters.add(check)
        check()
      }),
    close: async () => {
      let timer: NodeJS.Timeout | undefined
      // endAsync can hang (dependencies.md §4 item 8): force after a short wait.
      await Promise.race([client.endAsync(), new Promise(resolve => (timer = setTimeout(resolve, 500)))])
      clearTimeout(timer)
      await client.endAsync(true).catch(() => undefined)
    },
  }
}
