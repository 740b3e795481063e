import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The folder holding edgert's package.json: built-in boards, example tables and schemas live
 * there, whether this module runs from the sources (tsx) or from dist/ (an installed package).
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'boards'))) return dir
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`edgert: cannot find the package folder above ${fileURLToPath(import.meta.url)}`)
    dir = parent
  }
}
