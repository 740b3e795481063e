import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { it } from 'node:test'
import { systemClock } from '../../../runtime/clock.ts'
import { LinkError, MqttLink } from '../../../runtime/mqtt/link.ts'
import { LinkStates } from '../../helpers/link-states.ts'
import { describeWithMosquitto, startMosquitto } from '../../helpers/mosquitto.ts'
import { describeLinkContract, type BrokerFixture } from './link.contract.ts'

async function openMosquitto(): Promise<BrokerFixture> {
  const mosquitto = await startMosquitto()
  return { url: mosquitto.url, port: mosquitto.port, stop: mosquitto.stop, start: mosquitto.restart, remove: mosquitto.remove }
}

describeWithMosquitto('mosquitto, MQTT 5', () => {
  describeLinkContract('mosquitto', openMosquitto, 5)

  it('rejects with kind rejected when the broker refuses a publish (v5 PUBACK "Not authorized")', async () => {
    // Lines before any `user` line in an ACL file apply to anonymous clients (mosquitto.conf(5)).
    const mosquitto = await startMosquitto({
      files: { acl: 'topic readwrite edgert/test/allowed/#\n' },
      extraConfig: dataDir => `acl_file ${dataDir}/acl`,
    })
    const states = new LinkStates()
    const link = new MqttLink({ url: mosquitto.url, clientId: `edgert-test-${randomUUID().slice(0, 8)}`, protocolVersion: 5, clock: systemClock, onState: states.onState })
    try {
      link.start()
      await states.connected()
      await link.publish('edgert/test/allowed/telemetry', 'ok')
      const refused = await link.publish('edgert/test/denied/telemetry', 'no').catch((error: unknown) => error)
      assert.ok(refused instanceof LinkError, String(refused))
      assert.equal(refused.kind, 'rejected')
      assert.match(refused.message, /Not authorized/)
      assert.equal(link.connected, true)
    } finally {
      await link.close()
      await mosquitto.remove()
    }
  })
})
