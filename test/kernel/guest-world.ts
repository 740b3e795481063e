/**
 * The simulated world inside the kernel guest: the gpio-mockup chip (one bank of 58 lines at
 * base 512, like a Pi 4's header bank on kernels 6.6+; guest-init.sh) and the i2c-stub adapter.
 * Only the guest's worker threads use this.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { setTimeout as delay } from 'node:timers/promises'
import type { Level } from '../../drivers/hal/gpio.ts'
import { openLinuxI2cBus, type LinuxI2cBusOptions } from '../../drivers/linux/linux-i2c-bus.ts'
import { openOnoffGpio, type OnoffGpio } from '../../drivers/linux/onoff-gpio.ts'
import { systemClock } from '../../runtime/clock.ts'
import type { GpioBench } from '../contract/gpio.contract.ts'
import type { I2cBench } from '../contract/i2c-bus.contract.ts'

export const MOCKUP_LABEL = 'gpio-mockup-A'
export const MOCKUP_BASE = 512
export const MOCKUP_LINES = 58
export const STUB_ADDRESS = 0x76

/**
 * Edge latency through the kernel and inotify under TCG: ~2–20 ms when idle; the margin covers a
 * busy 2-core host (shared/reference/kernel-vm/README.md, pitfall 8).
 */
const LATENCY_MS = 400

/** gpio-mockup's debugfs folder for the chip: <offset> files set a line's pull, and read its value. */
function mockupDebugfs(): string {
  const device = `/sys/class/gpio/gpiochip${MOCKUP_BASE}/device`
  const chip = readdirSync(device).find(name => /^gpiochip\d+$/.test(name))
  if (chip === undefined) throw new Error(`no gpiochipN under ${device}`)
  return `/sys/kernel/debug/gpio-mockup/${chip}`
}

/** Drives a mockup line from outside (the pull: it changes an input and raises its interrupt). */
export function mockupDrive(offset: number, level: Level): void {
  writeFileSync(`${mockupDebugfs()}/${offset}`, String(level))
}

/** A mockup line's electrical value. */
export function mockupSense(offset: number): Level {
  return readFileSync(`${mockupDebugfs()}/${offset}`, 'utf8').trim() === '1' ? 1 : 0
}

export function openMockupGpio(): Promise<OnoffGpio> {
  return openOnoffGpio({ clock: systemClock, labels: [MOCKUP_LABEL] })
}

/** Benches on fresh pairs of mockup lines, from `firstOffset` up, for the GPIO contract. */
export function mockupBenches(firstOffset: number): () => Promise<GpioBench> {
  let next = firstOffset
  return async () => {
    const inputLine = next++
    const outputLine = next++
    if (outputLine >= MOCKUP_LINES) throw new Error('out of mockup lines: give the suite more')
    const gpio = await openMockupGpio()
    return {
      clock: systemClock,
      latencyMs: LATENCY_MS,
      input: async options => gpio.input(inputLine, { activeLow: options?.activeLow ?? false }),
      output: async options => gpio.output(outputLine, { activeLow: options?.activeLow ?? false, ...(options?.initial === undefined ? {} : { initial: options.initial }) }),
      drive: async level => mockupDrive(inputLine, level),
      sensed: async () => mockupSense(outputLine),
      elapse: ms => delay(ms),
      close: async () => undefined,
    }
  }
}

/** The bus number of the i2c-stub adapter. */
export function stubBusNumber(): number {
  for (const adapter of readdirSync('/sys/class/i2c-adapter')) {
    if (readFileSync(`/sys/class/i2c-adapter/${adapter}/name`, 'utf8').trim() === 'SMBus stub driver') return Number(adapter.slice('i2c-'.length))
  }
  throw new Error('no i2c-stub adapter in /sys/class/i2c-adapter')
}

export function openStubBus(options: Partial<LinuxI2cBusOptions> = {}) {
  return openLinuxI2cBus(stubBusNumber(), { clock: systemClock, ...options })
}

/** A bench on i2c-stub's chip; its registers are seeded through the bus under test. */
export async function stubBench(): Promise<I2cBench> {
  const first = 0x80
  const values = Uint8Array.from({ length: 64 }, (_, i) => (i * 13 + 1) & 0xff)
  const bus = await openStubBus()
  await bus.write(STUB_ADDRESS, Uint8Array.of(first, ...values))
  return { bus, present: STUB_ADDRESS, absent: 0x50, registers: { first, values }, scratch: 0x10 }
}
