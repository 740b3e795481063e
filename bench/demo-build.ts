import { spawn } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The compiled CLI for the demo benchmark: what a Pi runs (`npm run build`, then
 * `node dist/runtime/cli/main.js`). dist/ is used when it has the CLI and is newer than every
 * source it is built from; otherwise the sources are compiled into .bench-out/dist (git-ignored)
 * with the same tsconfig, so a stale or half-built dist/ is never measured and never touched.
 * From there the CLI finds the package folder (package.json + boards/) and node_modules by
 * walking up, as from dist/.
 */
export type CompiledCli = { readonly main: string; readonly note: string } | { readonly skipped: string }

const SOURCE_DIRS = ['runtime', 'drivers', 'tasks', 'boards']
const CLI = join('runtime', 'cli', 'main.js')

/** The newest mtime of the .ts/.json files under `dirs`, ms. */
function newestSourceMs(root: string, dirs: readonly string[]): number {
  let newest = 0
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (/\.(ts|json)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs)
    }
  }
  for (const dir of dirs) if (existsSync(join(root, dir))) walk(join(root, dir))
  return newest
}

function tsc(root: string, args: readonly string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', code => resolve({ code, output }))
  })
}

export async function compiledCli(root: string, progress: (line: string) => void): Promise<CompiledCli> {
  const dist = join(root, 'dist', CLI)
  const sourcesMs = newestSourceMs(root, SOURCE_DIRS)
  if (existsSync(dist) && statSync(dist).mtimeMs >= sourcesMs) return { main: dist, note: 'dist/ (npm run build)' }
  const outDir = join(root, '.bench-out', 'dist')
  progress(`demo: ${existsSync(dist) ? 'dist/ is older than the sources' : 'dist/ has no CLI'}: compiling the sources into .bench-out/dist (tsc -p tsconfig.build.json)…`)
  const build = ['-p', 'tsconfig.build.json', '--outDir', outDir]
  const first = await tsc(root, build)
  if (first.code === 0) return { main: join(outDir, CLI), note: 'the sources compiled by tsc -p tsconfig.build.json into .bench-out/dist' }
  // Type errors (work in progress elsewhere) stop the build (noEmitOnError); the JavaScript is
  // the same either way (erasable syntax only), so emit it regardless and say so.
  const errors = (first.output.match(/error TS\d+/g) ?? []).length
  progress(`  tsc reported ${errors} type error(s); emitting anyway (--noEmitOnError false)`)
  const second = await tsc(root, [...build, '--noEmitOnError', 'false'])
  const main = join(outDir, CLI)
  if (!existsSync(main)) return { skipped: `could not compile the CLI (tsc exit ${second.code}): ${second.output.split('\n')[0] ?? ''}` }
  return { main, note: `the sources compiled into .bench-out/dist despite ${errors} type error(s) reported by tsc (emitted with --noEmitOnError false)` }
}
