import assert from 'node:assert/strict'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { findGpioBase } from '../../../drivers/linux/gpiochip.ts'
import { tempDir } from '../../helpers/temp-files.ts'

type Chip = readonly [base: number, label: string, lines: number]

/** A folder laid out like /sys/class/gpio: export, unexport, gpiochip<base>/{label,base,ngpio}. */
function sysfs(chips: readonly Chip[], exported: readonly number[] = []): string {
  const root = join(tempDir().dir, 'gpio')
  mkdirSync(root)
  writeFileSync(join(root, 'export'), '')
  writeFileSync(join(root, 'unexport'), '')
  for (const [base, label, lines] of chips) {
    mkdirSync(join(root, `gpiochip${base}`))
    writeFileSync(join(root, `gpiochip${base}`, 'label'), `${label}\n`)
    writeFileSync(join(root, `gpiochip${base}`, 'base'), `${base}\n`)
    writeFileSync(join(root, `gpiochip${base}`, 'ngpio'), `${lines}\n`)
  }
  for (const line of exported) mkdirSync(join(root, `gpio${line}`))
  return root
}

// Layouts as reported for Raspberry Pi OS kernels (shared/reference/dependencies.md §1).
const PI4_KERNEL_6_1: Chip[] = [[0, 'pinctrl-bcm2711', 58], [504, 'raspberrypi-exp-gpio', 8]]
const PI4_KERNEL_6_6: Chip[] = [[512, 'pinctrl-bcm2711', 58], [570, 'raspberrypi-exp-gpio', 8]]
const PI5_KERNEL_6_6: Chip[] = [[512, 'gpio-brcmstb@107d508500', 32], [544, 'gpio-brcmstb@107d517c00', 15], [559, 'pinctrl-bcm2712', 12], [571, 'pinctrl-rp1', 54]]
const PI3: Chip[] = [[0, 'pinctrl-bcm2835', 54], [504, 'raspberrypi-exp-gpio', 8]]

describe('findGpioBase', () => {
  it('finds base 0 on a Pi 4 with kernel 6.1', async () => {
    assert.deepEqual(await findGpioBase({ sysfsRoot: sysfs(PI4_KERNEL_6_1) }), { base: 0, lines: 58, source: 'gpiochip0 "pinctrl-bcm2711" (58 lines)' })
  })

  it('finds base 512 on a Pi 4 with kernel 6.6+, past exported lines and the export files', async () => {
    const found = await findGpioBase({ sysfsRoot: sysfs(PI4_KERNEL_6_6, [529]) })
    assert.equal(found.base, 512)
    assert.equal(found.lines, 58)
  })

  it('prefers the RP1 (base 571) on a Pi 5 over the SoC banks', async () => {
    const found = await findGpioBase({ sysfsRoot: sysfs(PI5_KERNEL_6_6) })
    assert.equal(found.base, 571)
    assert.equal(found.source, 'gpiochip571 "pinctrl-rp1" (54 lines)')
  })

  it('finds pinctrl-bcm2835 on a Pi 3', async () => {
    assert.equal((await findGpioBase({ sysfsRoot: sysfs(PI3) })).base, 0)
  })

  it('accepts other labels when asked, in the order given', async () => {
    const root = sysfs([[992, 'gpio-mockup-B', 8], [512, 'gpio-mockup-A', 58]])
    assert.equal((await findGpioBase({ sysfsRoot: root, labels: ['gpio-mockup-A', 'gpio-mockup-B'] })).base, 512)
  })

  it('uses an explicit base without reading sysfs', async () => {
    assert.deepEqual(await findGpioBase({ sysfsRoot: '/nonexistent', base: 399 }), { base: 399, lines: undefined, source: 'base 399 (override)' })
    await assert.rejects(findGpioBase({ base: -1 }), RangeError)
  })

  it('rejects with not-supported naming the folder when there is no GPIO sysfs', async () => {
    const root = join(tempDir().dir, 'missing')
    await assert.rejects(findGpioBase({ sysfsRoot: root }), (error: Error & { kind?: string }) => {
      assert.equal(error.kind, 'not-supported')
      assert.match(error.message, new RegExp(`no GPIO sysfs at ${root}`))
      return true
    })
  })

  it('rejects with not-supported listing the labels it saw when no chip matches', async () => {
    const root = sysfs([[992, 'gpio-mockup-A', 32]])
    await assert.rejects(findGpioBase({ sysfsRoot: root }), (error: Error & { kind?: string }) => {
      assert.equal(error.kind, 'not-supported')
      assert.match(error.message, /pinctrl-rp1 or pinctrl-bcm2712 or pinctrl-bcm2711 or pinctrl-bcm2835/)
      assert.match(error.message, /chips seen: gpiochip992 "gpio-mockup-A"/)
      return true
    })
  })
})
