import { describeWithMosquitto, startMosquitto } from '../../helpers/mosquitto.ts'
import { describeLinkContract, type BrokerFixture } from './link.contract.ts'

async function openMosquitto(): Promise<BrokerFixture> {
  const mosquitto = await startMosquitto()
  return { url: mosquitto.url, port: mosquitto.port, stop: mosquitto.stop, start: mosquitto.restart, remove: mosquitto.remove }
}

describeWithMosquitto('mosquitto, MQTT 3.1.1', () => describeLinkContract('mosquitto', openMosquitto, 4))
