import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { builtInBoards, loadBoard } from '../../runtime/config/load.ts'

describe('built-in boards', () => {
  it('every board file validates', async () => {
    const names = await builtInBoards()
    assert.ok(names.includes('sim') && names.includes('raspberry-pi-4b'), names.join(', '))
    for (const name of names) await loadBoard(name)
  })

  it('the sim board has the same device names as every Raspberry Pi board, so tables run unchanged', async () => {
    const { board: sim } = await loadBoard('sim')
    const devices = (board: typeof sim) => ({
      gpio: Object.keys(board.gpio).sort(),
      i2c: Object.entries(board.i2c).map(([bus, b]) => [bus, Object.keys(b.devices).sort()]),
      serial: Object.keys(board.serial).sort(),
    })
    for (const name of (await builtInBoards()).filter(n => n.startsWith('raspberry-pi'))) {
      const { board } = await loadBoard(name)
      assert.equal(board.platform, 'linux', name)
      assert.deepEqual(devices(sim), devices(board), name)
    }
  })
})
