import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { scenarioDeviceIssues } from '../../../drivers/sim/scenario/bind.ts'
import { validateScenario } from '../../../drivers/sim/scenario/parse.ts'
import type { Scenario } from '../../../drivers/sim/scenario/schema.ts'

const DEVICES = { distance: 'i2c', imu: 'i2c', lidar: 'serial' } as const

function scenario(events: unknown[]): Scenario {
  const parsed = validateScenario({ version: 1, world: 'vehicle', events }, 'test.json')
  assert.ok(parsed.ok, parsed.ok ? '' : JSON.stringify(parsed.issues))
  return parsed.scenario
}

describe('scenario faults against the board', () => {
  it('accepts faults that name devices of the board, with kinds their bus takes', () => {
    const faults = [
      { device: 'distance', kind: 'nack', count: 3 },
      { device: 'distance', kind: 'timeout' },
      { device: 'imu', kind: 'stuck', value: 0 },
      { device: 'imu', kind: 'lock-up' },
      { device: 'imu', kind: 'clear' },
      { device: 'lidar', kind: 'disconnect' },
      { device: 'lidar', kind: 'clear' },
    ]
    assert.deepEqual(scenarioDeviceIssues(scenario(faults.map((fault, i) => ({ atS: i, fault }))), DEVICES, 'test.json'), [])
  })

  it('names the device the board lacks, and the devices it has', () => {
    const issues = scenarioDeviceIssues(scenario([{ atS: 0, set: { speedMps: 3 } }, { atS: 1, fault: { device: 'radar', kind: 'nack' } }]), DEVICES, 'test.json')
    assert.deepEqual(issues, [{ file: 'test.json', path: 'events[1].fault.device', message: 'the board has no device "radar" (it has: distance, imu, lidar)' }])
  })

  it('refuses a fault that does not apply to the device\'s bus', () => {
    const issues = scenarioDeviceIssues(
      scenario([
        { atS: 0, fault: { device: 'lidar', kind: 'nack' } },
        { atS: 1, fault: { device: 'distance', kind: 'disconnect' } },
      ]),
      DEVICES,
      'test.json',
    )
    assert.deepEqual(
      issues.map(issue => `${issue.path}: ${issue.message}`),
      [
        'events[0].fault.kind: "nack" does not apply to serial device "lidar" (it takes: disconnect, clear)',
        'events[1].fault.kind: "disconnect" does not apply to i2c device "distance" (it takes: nack, timeout, bus, stuck, lock-up, clear)',
      ],
    )
  })

  it('does not mistake an inherited property for a device', () => {
    const issues = scenarioDeviceIssues(scenario([{ atS: 0, fault: { device: 'constructor', kind: 'nack' } }]), DEVICES, 'test.json')
    assert.equal(issues[0]?.path, 'events[0].fault.device')
  })
})
