import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after } from 'node:test'

/** A fresh folder for this test file, removed when the file's tests end. */
export function tempDir(): { dir: string; write: (name: string, content: unknown) => string } {
  const dir = mkdtempSync(join(tmpdir(), 'edgert-test-'))
  after(() => rmSync(dir, { recursive: true, force: true }))
  return {
    dir,
    write: (name, content) => {
      const file = join(dir, name)
      writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2))
      return file
    },
  }
}
