import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { it } from 'node:test'
import { connectPeer } from '../../helpers/mqtt-peer.ts'
import { describeWithMosquitto, startMosquitto } from '../../helpers/mosquitto.ts'

// The helper the link suites rely on for outages: restart() must bring the broker back on the same port and dir.
describeWithMosquitto('test/helpers/mosquitto.ts', () => {
  it('restarts on the same port, and with persistence keeps retained messages across the restart', async () => {
    const mosquitto = await startMosquitto({ persistence: true })
    try {
      const before = await connectPeer(mosquitto.url)
      await before.publish('edgert/test/status', 'online', { qos: 1, retain: true })
      await before.close()
      await mosquitto.restart()
      assert.ok(existsSync(join(mosquitto.dataDir, 'mosquitto.db')), 'SIGTERM saved the database')
      const after = await connectPeer(mosquitto.url)
      await after.subscribe('edgert/test/status')
      assert.equal((await after.message('edgert/test/status')).payload.toString(), 'online')
      await after.close()
      assert.match(mosquitto.log(), /mosquitto version 2\.\d+\.\d+ running/)
    } finally {
      await mosquitto.remove()
    }
    assert.equal(existsSync(mosquitto.dataDir), false, 'remove() deletes the data dir')
  })

  it('stop() frees the port: a connect is refused until restart()', async () => {
    const mosquitto = await startMosquitto()
    try {
      await mosquitto.stop()
      await assert.rejects(connectPeer(mosquitto.url), { code: 'ECONNREFUSED' })
      await mosquitto.restart()
      const peer = await connectPeer(mosquitto.url)
      await peer.close()
    } finally {
      await mosquitto.remove()
    }
  })
})
