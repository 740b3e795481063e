#!/usr/bin/env node
// Runs every test/**/*.test.ts with node:test under tsx.
// Node 20's --test does not expand globs, and a directory argument silently runs no .ts file,
// so the list is built here. In CI (CI=true) a run that executes no test, or skips any test,
// fails: a suite that needs a missing tool must not pass unnoticed (.ci/run installs the tools).
// Usage: node scripts/run-tests.mjs [path-filter ...]
import { spawn } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'

function findTests(dir) {
  const found = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) found.push(...findTests(path))
    else if (entry.name.endsWith('.test.ts')) found.push(path)
  }
  return found
}

const filters = process.argv.slice(2)
const files = findTests('test').filter(f => filters.length === 0 || filters.some(x => f.includes(x))).sort()
if (files.length === 0) {
  console.error(`run-tests: no test files matched ${filters.join(' ') || 'test/**/*.test.ts'}`)
  process.exit(1)
}

const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
  stdio: ['ignore', 'pipe', 'inherit'],
})
let tail = ''
child.stdout.on('data', chunk => {
  process.stdout.write(chunk)
  tail = (tail + chunk.toString()).slice(-4000)
})
child.on('close', code => {
  const count = name => Number(new RegExp(`ℹ ${name} (\\d+)`).exec(tail)?.[1] ?? NaN)
  const tests = count('tests')
  const skipped = count('skipped')
  if (code === 0 && !(tests > 0)) {
    console.error('run-tests: the runner executed no test')
    process.exit(1)
  }
  if (code === 0 && process.env.CI && skipped > 0) {
    console.error(`run-tests: ${skipped} test(s) skipped in CI; install the tool they need in .ci/run instead`)
    process.exit(1)
  }
  process.exit(code ?? 1)
})
