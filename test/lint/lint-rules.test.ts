import assert from 'node:assert/strict'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { ESLint } from 'eslint'

// The lint must catch what ARCHITECTURE.md forbids. Fixtures are written inside the project
// (so the type-aware rules see them through tsconfig.json) and removed afterwards.
const FIXTURES = join('test', 'lint', 'fixtures-tmp')
mkdirSync(join(FIXTURES, 'runtime'), { recursive: true })
mkdirSync(join(FIXTURES, 'drivers', 'linux'), { recursive: true })
after(() => rmSync(FIXTURES, { recursive: true, force: true }))

async function lint(path: string, code: string): Promise<string[]> {
  const file = join(FIXTURES, path)
  writeFileSync(file, code)
  const [result] = await new ESLint().lintFiles([file])
  return result!.messages.map(message => message.ruleId ?? message.message)
}

describe('lint rules', () => {
  it('catches a floating promise', async () => {
    const rules = await lint('runtime/floating.ts', 'export async function save(): Promise<void> {}\nexport function tick(): void {\n  save()\n}\n')
    assert.ok(rules.includes('@typescript-eslint/no-floating-promises'), rules.join(', '))
  })

  it('accepts an awaited or explicitly ignored promise', async () => {
    const rules = await lint('runtime/awaited.ts', 'export async function save(): Promise<void> {}\nexport async function tick(): Promise<void> {\n  await save()\n  void save()\n}\n')
    assert.deepEqual(rules, [])
  })

  it('refuses hardware libraries outside drivers/linux/', async () => {
    for (const library of ['onoff', 'i2c-bus', 'serialport', '@serialport/binding-mock']) {
      const rules = await lint('runtime/hardware.ts', `import * as lib from '${library}'\nexport const x = lib\n`)
      assert.ok(rules.includes('no-restricted-imports'), `${library}: ${rules.join(', ')}`)
    }
  })

  it('allows them inside drivers/linux/', async () => {
    const rules = await lint('drivers/linux/adapter.ts', "import * as lib from 'onoff'\nexport const x = lib\n")
    assert.ok(!rules.includes('no-restricted-imports'), rules.join(', '))
  })
})
