// The real adapters on the guest's real kernel, from a worker thread (guest-main.ts).
import assert from 'node:assert/strict'
import { setTimeout as delay } from 'node:timers/promises'
import { describe, it } from 'node:test'
import { findGpioBase } from '../../drivers/linux/gpiochip.ts'
import { openLinuxI2cBus } from '../../drivers/linux/linux-i2c-bus.ts'
import { openOnoffGpio } from '../../drivers/linux/onoff-gpio.ts'
import { systemClock } from '../../runtime/clock.ts'
import { describeGpioContract } from '../contract/gpio.contract.ts'
import { describeI2cBusContract } from '../contract/i2c-bus.contract.ts'
import { MOCKUP_BASE, MOCKUP_LABEL, MOCKUP_LINES, mockupBenches, mockupSense, openMockupGpio, openStubBus, stubBench, STUB_ADDRESS } from './guest-world.ts'

describeGpioContract('onoff-gpio on gpio-mockup', mockupBenches(0), { activeLow: true })
describeI2cBusContract('linux-i2c-bus on i2c-stub', stubBench)

describe('findGpioBase on the guest kernel', () => {
  it('finds the mockup chip by label at base 512 with its 58 lines', async () => {
    assert.deepEqual(await findGpioBase({ labels: [MOCKUP_LABEL] }), { base: MOCKUP_BASE, lines: MOCKUP_LINES, source: `gpiochip${MOCKUP_BASE} "${MOCKUP_LABEL}" (${MOCKUP_LINES} lines)` })
  })

  it('rejects with not-supported listing the chip it saw when no Raspberry Pi chip is there', async () => {
    await assert.rejects(findGpioBase(), { kind: 'not-supported', message: new RegExp(`chips seen: gpiochip${MOCKUP_BASE} "${MOCKUP_LABEL}"`) })
  })
})

describe('openOnoffGpio on the guest kernel', () => {
  it('rejects an export at a wrong base with not-supported naming the number and the base', async () => {
    const gpio = await openOnoffGpio({ clock: systemClock, base: 0 })
    assert.throws(() => gpio.input(3), { name: 'HalError', kind: 'not-supported', message: /GPIO 3 = base 0 \(override\) \+ 3\).*EINVAL.*base/ })
  })

  it('opening an output that a previous run left driving 1 keeps it at 1: a restart does not glitch it', async () => {
    const line = MOCKUP_LINES - 1
    const previousRun = (await openMockupGpio()).output(line, { initial: 1 }) // exits without close(), as a crash would
    const restarted = (await openMockupGpio()).output(line, { initial: 0 })
    assert.equal(mockupSense(line), 1)
    assert.equal(await restarted.read(), 1)
    await restarted.close()
    await previousRun.close()
  })
})

describe('openLinuxI2cBus on the guest kernel', () => {
  it('rejects a bus that does not exist with not-supported, naming the device file and raspi-config', async () => {
    await assert.rejects(openLinuxI2cBus(9, { clock: systemClock }), { kind: 'not-supported', message: /\/dev\/i2c-9 does not exist.*raspi-config/ })
  })

  it('uses SMBus commands on i2c-stub, which does no plain I2C', async () => {
    const bus = await openStubBus()
    assert.equal(bus.mode, 'smbus')
    await bus.close()
  })

  it('rejects plain I2C on i2c-stub with not-supported (EOPNOTSUPP), without retrying', async () => {
    const bus = await openStubBus({ transfers: 'i2c' })
    await assert.rejects(bus.read(STUB_ADDRESS, 4), { kind: 'not-supported' })
    assert.equal(bus.stats().get(STUB_ADDRESS)?.retries, 0)
    await bus.close()
  })

  it('counts the nack of an absent address on each of its attempts (ENODEV from i2c-stub)', async () => {
    const bus = await openStubBus({ retryDelayMs: 1 })
    await assert.rejects(bus.read(0x50, 1), { kind: 'nack' })
    assert.deepEqual(bus.stats().get(0x50), { transactions: 1, retries: 2, failures: { nack: 3 } })
    await bus.close()
  })

  it('times each attempt with the clock even while the kernel answers quickly', async () => {
    const bus = await openStubBus({ timeoutMs: 1000 })
    const startMs = systemClock.now()
    await bus.writeRead(STUB_ADDRESS, Uint8Array.of(0x80), 4)
    assert.ok(systemClock.now() - startMs < 1000)
    await delay(1)
    await bus.close()
  })
})
