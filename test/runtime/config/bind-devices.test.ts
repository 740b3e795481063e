import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { ConfigError } from '../../../runtime/config/config-error.ts'
import { loadConfig } from '../../../runtime/config/load.ts'
import { tempDir } from '../../helpers/temp-files.ts'

const { write } = tempDir()
const simBoard = () => JSON.parse(readFileSync('boards/sim.json', 'utf8')) as { i2c: { main: { devices: Record<string, Record<string, unknown>> } }; serial: { lidar: Record<string, unknown> }; $schema?: string }
const table = (tasks: unknown[]) => ({ version: 1, scheduling: { policy: 'priority', admission: 'warn' }, tasks })
const sample = (extra: Record<string, unknown>) => ({ id: 'reader', kind: 'sample', periodMs: 100, budgetMs: 2, ...extra })

async function problems(board: unknown, tasks: unknown): Promise<string[]> {
  const boardFile = write(`board-${Math.random().toString(36).slice(2)}.json`, board)
  const tasksFile = write(`tasks-${Math.random().toString(36).slice(2)}.json`, tasks)
  try {
    await loadConfig(boardFile, tasksFile)
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error))
    return error.issues.map(issue => `${issue.path}: ${issue.message}`)
  }
  return []
}

describe('binding devices against the driver descriptors', () => {
  it('accepts the shipped boards with a sample task on every device', async () => {
    const board = simBoard()
    delete board.$schema
    const tasks = ['lidar', 'environment', 'distance', 'imu', 'pulse', 'bodyTemp', 'adc'].map((device, i) => sample({ id: `t${i}`, device, periodMs: 100 }))
    assert.deepEqual(await problems(board, table(tasks)), [])
  })

  it('names an unknown chip, a wrong address, a wrong bus, bad settings and a wrong baud rate, each with its path', async () => {
    const board = simBoard()
    delete board.$schema
    board.i2c.main.devices.environment = { chip: 'bme680', address: '0x76' }
    board.i2c.main.devices.imu = { chip: 'mpu6050', address: '0x50' }
    board.i2c.main.devices.adc = { chip: 'tf-luna', address: '0x49' }
    board.i2c.main.devices.distance = { chip: 'vl53l0x', address: '0x29', settings: { timingBudgetMs: 'fast', colour: 'red' } }
    board.serial.lidar.baudRate = 9600
    const found = await problems(board, table([sample({ device: 'pulse' })]))
    const has = (prefix: string, text: RegExp) => assert.ok(found.some(p => p.startsWith(prefix) && text.test(p)), `${prefix} ${text}\n${found.join('\n')}`)
    has('i2c.main.devices.environment.chip:', /no driver for chip "bme680" \(drivers: ads1115, bme280/)
    has('i2c.main.devices.imu.address:', /mpu6050 answers on 0x68, 0x69, not 0x50/)
    has('i2c.main.devices.adc.chip:', /tf-luna is a serial device, wired here on i2c/)
    has('i2c.main.devices.distance.settings', /./)
    assert.ok(found.some(p => p.includes('colour')), found.join('\n'))
    has('serial.lidar.baudRate:', /tf-luna talks at 115200 baud, not 9600/)
  })

  it('refuses input settings on outputs and a safe level on an input', async () => {
    const board = simBoard() as ReturnType<typeof simBoard> & { gpio: Record<string, Record<string, unknown>> }
    delete board.$schema
    board.gpio.brake!.debounceMs = 5
    board.gpio.button!.safe = 1
    const found = await problems(board, table([sample({ device: 'pulse' })]))
    assert.ok(found.includes('gpio.brake.debounceMs: debounce applies to inputs only; this line is an output'), found.join('\n'))
    assert.ok(found.includes('gpio.button.safe: a safe level applies to outputs only; this line is an input'), found.join('\n'))
  })

  it('names a sample task’s unknown device, a channel the chip lacks, and a period shorter than the chip allows', async () => {
    const board = simBoard()
    delete board.$schema
    const found = await problems(board, table([
      sample({ id: 'a', device: 'thermostat' }),
      sample({ id: 'b', device: 'environment', channels: ['temperatureC', 'temperatureF'] }),
      sample({ id: 'c', device: 'bodyTemp', periodMs: 10, budgetMs: 1 }),
    ]))
    assert.ok(found.some(p => /^tasks\[0\]\.device: board 'sim' has no sensor device "thermostat" \(it has: .*environment/.test(p)), found.join('\n'))
    assert.ok(found.includes('tasks[1].channels[1]: device "environment" (bme280) has no channel "temperatureF" (it has: temperatureC, pressurePa, humidityPct)'), found.join('\n'))
    assert.ok(found.includes("tasks[2].periodMs: 10 ms is shorter than max30205's minimum sampling period (50 ms)"), found.join('\n'))
  })

  it('counts a sample task’s bus in the admission analysis even when the table does not list it', async () => {
    const tasksFile = write('implied.json', table([sample({ device: 'imu', periodMs: 10, budgetMs: 1 })]))
    const config = await loadConfig('sim', tasksFile)
    assert.deepEqual(config.timings[0]!.resources, [{ name: 'main', holdMs: 1 }])
  })
})
