import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { HalError } from '../hal/errors.ts'

/**
 * Labels of the chip that carries a Raspberry Pi's 40-pin header lines, most specific first:
 * the Pi 5's RP1 (its SoC's own pinctrl-bcm2712 bank is not on the header), then the Pi 4, 3 and
 * earlier SoCs. shared/reference/dependencies.md §1; fivdi/onoff#199, #200.
 */
export const HEADER_CHIP_LABELS: readonly string[] = ['pinctrl-rp1', 'pinctrl-bcm2712', 'pinctrl-bcm2711', 'pinctrl-bcm2835']

export const DEFAULT_GPIO_SYSFS = '/sys/class/gpio'

/** Where BCM line 0 is in the kernel's global (sysfs) GPIO numbering, and where that came from. */
export interface GpioBase {
  readonly base: number
  /** How many lines the chip has; undefined for an explicit override. */
  readonly lines: number | undefined
  /** For logs and messages: 'gpiochip512 "pinctrl-bcm2711" (58 lines)' or 'base 512 (override)'. */
  readonly source: string
}

export interface FindGpioBaseOptions {
  /** The GPIO sysfs folder; default /sys/class/gpio. */
  readonly sysfsRoot?: string
  /** Chip labels to accept, preferred first; default HEADER_CHIP_LABELS. */
  readonly labels?: readonly string[]
  /** A base to use as is (a board whose chip has another label); sysfs is not read. */
  readonly base?: number
}

interface ChipEntry {
  readonly name: string
  readonly label: string
  readonly base: number
  readonly lines: number
}

/**
 * Finds the global number of BCM line 0: the `base` of the header chip, read from
 * `<sysfsRoot>/gpiochip*\/{label,base,ngpio}` (the folder name is the base, not the chip index).
 * Kernels 6.6+ moved it from 0 to 512 on a Pi 4 and to 571 on a Pi 5 (it was 399 on 6.1), and
 * the kernel maintainers want nobody to hard-code it (raspberrypi/linux#5638), hence this lookup.
 *
 * Rejects with HalError 'not-supported' when the folder is missing (no GPIO sysfs: not a Linux
 * board, or a kernel without CONFIG_GPIO_SYSFS) or no chip has an accepted label (the message
 * lists the labels it saw, to pass back as `labels` or to choose a `base` override).
 */
export async function findGpioBase(options: FindGpioBaseOptions = {}): Promise<GpioBase> {
  if (options.base !== undefined) {
    if (!Number.isInteger(options.base) || options.base < 0) throw new RangeError(`GPIO base must be a non-negative integer, got ${options.base}`)
    return { base: options.base, lines: undefined, source: `base ${options.base} (override)` }
  }
  const root = options.sysfsRoot ?? DEFAULT_GPIO_SYSFS
  const labels = options.labels ?? HEADER_CHIP_LABELS
  const chips = await readChips(root)
  for (const label of labels) {
    const chip = chips.find(entry => entry.label === label)
    if (chip !== undefined) return { base: chip.base, lines: chip.lines, source: `${chip.name} "${chip.label}" (${chip.lines} lines)` }
  }
  const seen = chips.map(chip => `${chip.name} "${chip.label}"`).join(', ') || 'none'
  throw new HalError('not-supported', `no GPIO chip under ${root} is labelled ${labels.join(' or ')}; chips seen: ${seen}. Pass the right label (labels) or the base itself (base).`)
}

async function readChips(root: string): Promise<ChipEntry[]> {
  let names: string[]
  try {
    names = (await readdir(root)).filter(name => /^gpiochip\d+$/.test(name)).sort()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new HalError('not-supported', `no GPIO sysfs at ${root}: not a Linux board, or a kernel without CONFIG_GPIO_SYSFS`, { cause: error })
    }
    throw new HalError('other', `cannot list ${root}: ${String(error)}`, { cause: error })
  }
  return Promise.all(names.map(name => readChip(root, name)))
}

async function readChip(root: string, name: string): Promise<ChipEntry> {
  const read = (file: string): Promise<string> => readFile(join(root, name, file), 'utf8').then(text => text.trim())
  try {
    const [label, base, lines] = await Promise.all([read('label'), read('base'), read('ngpio')])
    return { name, label, base: integer(base, name, 'base'), lines: integer(lines, name, 'ngpio') }
  } catch (error) {
    if (error instanceof HalError) throw error
    throw new HalError('other', `cannot read ${join(root, name)}: ${String(error)}`, { cause: error })
  }
}

function integer(text: string, chip: string, file: string): number {
  const value = Number(text)
  if (text === '' || !Number.isInteger(value) || value < 0) throw new HalError('other', `${chip}/${file} is not a number: "${text}"`)
  return value
}
