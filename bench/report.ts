import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { renderReport, type BenchFile } from './report-markdown.ts'
import { latenessSvg } from './report-svg.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
export const REPORT_FILE = join(ROOT, 'docs', 'performance.md')
const SVG_NAME = 'performance-lateness.svg'
/** Saved --json files of separate runs (e.g. the 10-minute misses run), added to the report. */
export const RESULTS_DIR = join(ROOT, 'bench', 'results')

/** The histogram's two series: 1 kHz, idle, edgert's rt worker and the naive loop. */
const SERIES = [
  { key: 'jitter.1ms.idle.edgert-worker', label: 'edgert (rt worker: Scheduler + PreciseClock)', color: '#1f77b4' },
  { key: 'jitter.1ms.idle.baseline', label: 'naive setTimeout loop (baseline)', color: '#ff7f0e' },
] as const

/** The SVG for `file`, or why it cannot be drawn. */
export function lateness(file: BenchFile): { svg: string } | { missing: string } {
  const found = SERIES.map(s => ({ ...s, buckets: file.histograms?.[s.key] }))
  const absent = found.filter(s => s.buckets === undefined).map(s => s.key)
  if (absent.length > 0) return { missing: `the run has no lateness histogram for ${absent.join(' and ')} (run the jitter group with the idle load)` }
  const expected = found[0]!.buckets!.expected
  const subtitle = `${file.machine.cpus ?? '?'}x ${String(file.machine.cpu ?? '?')}, Linux ${file.machine.kernel ?? '?'}, node ${file.machine.node ?? '?'}, ${file.machine.date?.slice(0, 10) ?? ''}; ${expected.toLocaleString('en')} releases each`
  return { svg: latenessSvg('Release lateness of a 1 kHz task, idle machine', subtitle, found.map(s => ({ label: s.label, color: s.color, buckets: s.buckets! }))) }
}

function longRuns(): { name: string; file: BenchFile }[] {
  if (!existsSync(RESULTS_DIR)) return []
  return readdirSync(RESULTS_DIR)
    .filter(name => name.endsWith('.json'))
    .sort()
    .map(name => ({ name: `bench/results/${basename(name)}`, file: JSON.parse(readFileSync(join(RESULTS_DIR, name), 'utf8')) as BenchFile }))
}

/** Writes docs/performance.md and docs/performance-lateness.svg from one run; returns the files written. */
export function writeReport(file: BenchFile, docsDir = join(ROOT, 'docs')): string[] {
  mkdirSync(docsDir, { recursive: true })
  const drawn = lateness(file)
  const written: string[] = []
  if ('svg' in drawn) {
    writeFileSync(join(docsDir, SVG_NAME), drawn.svg)
    written.push(join(docsDir, SVG_NAME))
  }
  const markdown = renderReport(file, { svg: 'svg' in drawn ? { file: SVG_NAME } : drawn, longRuns: longRuns() })
  writeFileSync(join(docsDir, 'performance.md'), markdown)
  written.push(join(docsDir, 'performance.md'))
  return written
}

export function readBenchFile(path: string): BenchFile {
  const file = JSON.parse(readFileSync(path, 'utf8')) as Partial<BenchFile>
  if (typeof file.measures !== 'object' || file.measures === null || typeof file.machine !== 'object') throw new TypeError(`${path}: not a file written by npm run bench -- --json (no machine or measures)`)
  return file as BenchFile
}
