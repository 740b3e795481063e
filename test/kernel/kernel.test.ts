/**
 * The real adapters (onoff-gpio.ts, linux-i2c-bus.ts, with the real onoff and i2c-bus) on a real
 * Linux kernel: a QEMU guest with gpio-mockup and i2c-stub, running the GPIO and I2C contract
 * suites from a worker thread as the runtime would (test/kernel/README.md). About 20 s for the
 * first build on a machine, then ~10–15 s per run.
 *
 * Outside CI a host without QEMU or the kernel packages skips this with what to install; with
 * CI=true it fails instead (.ci/run installs them).
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { after, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { GUEST_PARTS } from './guest-parts.ts'
import { describeMissing, missingPrerequisites } from './prerequisites.ts'
import { bootGuest } from './qemu.ts'
import { parseTap } from './tap-results.ts'
import { transpileClosure } from './transpile.ts'

const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)))
const CACHE = join(REPO, 'node_modules/.cache/edgert-kernel')
const GUEST_TIMEOUT_MS = 150_000

const missing = missingPrerequisites()
const absent = describeMissing(missing)
const skip = absent !== '' && process.env.CI !== 'true' ? `this host lacks what the kernel tests need: ${absent}` : false

test('the contract suites pass on a real kernel, run from a worker thread in the guest', { skip }, async t => {
  assert.equal(absent, '', `CI must provide what the kernel tests need (.ci/run): ${absent}`)
  const buildDir = buildGuest()
  const run = await prepareRun()
  const guest = await bootGuest({ buildDir, script: run.script, outDir: run.out, timeoutMs: GUEST_TIMEOUT_MS })
  const consoleTail = guest.console.split('\n').slice(-40).join('\n')
  t.diagnostic(`guest wall time ${(guest.wallMs / 1000).toFixed(1)} s`)
  for (const line of guest.console.split('\n')) if (line.startsWith('EDGERT_GUEST')) t.diagnostic(line.trim())
  assert.ok(!guest.timedOut, `the guest did not finish within ${GUEST_TIMEOUT_MS / 1000} s:\n${consoleTail}`)
  assert.ok(existsSync(join(run.out, 'done.json')), `the guest's main thread did not outlive its workers:\n${consoleTail}`)
  for (const part of GUEST_PARTS) {
    const tap = join(run.out, `${part}.tap`)
    assert.ok(existsSync(tap), `guest part ${part} left no results:\n${consoleTail}`)
    const results = parseTap(readFileSync(tap, 'utf8'))
    for (const suite of results.suites) {
      await t.test(`guest ${part}: ${suite.name}`, () => {
        const failures = suite.failures.map(failure => `  ✖ ${failure.name}: ${failure.error}`).join('\n')
        assert.ok(suite.ok, `failed in the guest:\n${failures || '  (the suite itself)'}`)
      })
    }
    assert.ok((results.counts.pass ?? 0) > 0, `guest part ${part} ran no test:\n${consoleTail}`)
    assert.equal(results.counts.fail, 0, `guest part ${part} had failures`)
  }
  assert.equal(guest.status, 0, `the guest script exited with ${guest.status}:\n${consoleTail}`)
})

/** Builds (or reuses) the kernel, modules and initramfs: build-guest.sh caches them per kernel ABI. */
function buildGuest(): string {
  const built = spawnSync('bash', [join(REPO, 'test/kernel/build-guest.sh'), CACHE], { encoding: 'utf8' })
  assert.equal(built.status, 0, `build-guest.sh failed:\n${built.stderr.split('\n').slice(-30).join('\n')}`)
  return built.stdout.trim().split('\n').at(-1)!
}

/**
 * A folder for this run inside the repo's node_modules (so the transpiled modules resolve onoff
 * and i2c-bus there): js/ for the guest's code, out/ for its results, run.sh for it to run.
 */
async function prepareRun(): Promise<{ script: string; out: string }> {
  mkdirSync(CACHE, { recursive: true })
  const dir = mkdtempSync(join(CACHE, 'run-'))
  after(() => rmSync(dir, { recursive: true, force: true }))
  const js = join(dir, 'js')
  const out = join(dir, 'out')
  mkdirSync(out)
  const script = join(dir, 'run.sh')
  writeFileSync(script, [
    `cd ${REPO} || exit 2`,
    'echo "EDGERT_GUEST: tests start at $(cut -d" " -f1 /proc/uptime)s"',
    `${process.execPath} ${join(js, 'test/kernel/guest-main.js')} ${out}`, // the host's own node, seen through 9p
    'status=$?',
    'echo "EDGERT_GUEST: tests end at $(cut -d" " -f1 /proc/uptime)s"',
    "dmesg | grep -iE 'BUG|Oops|segfault|general protection' | tail -5",
    'exit $status',
    '',
  ].join('\n'))
  await transpileClosure(REPO, ['test/kernel/guest-main.ts', 'test/kernel/guest-suites.ts'], js)
  return { script, out }
}
