import { DEMO_CPU_TARGET_PCT, DEMO_RSS_TARGET_MB, type DemoRun } from './demo.ts'
import { round, type Measure } from './measure.ts'

const MB = 1024 * 1024

/** demo.<variant>.…: CPU against the 5 % target, resident memory against 90 MB (baseline = target, ratio = target / value). */
export function demoMeasures(run: DemoRun): Record<string, Measure> {
  const measures: Record<string, Measure> = {}
  for (const r of run.results) {
    const key = `demo.${r.variant}`
    const s = r.summary
    measures[`${key}.cpu`] = { value: round(s.cpuPct, 2), unit: `% of a core (mean over ${s.steadySeconds.toFixed(0)} s after start-up)`, baseline: DEMO_CPU_TARGET_PCT, ratio: round(DEMO_CPU_TARGET_PCT / s.cpuPct, 2) }
    measures[`${key}.cpu-main-thread`] = { value: round(s.mainThreadCpuPct, 2), unit: '% of a core (main thread: MQTT, telemetry; part of cpu)', baseline: null, ratio: null }
    measures[`${key}.cpu-peak`] = { value: round(s.cpuPeakPct, 2), unit: '% of a core (busiest 1 s step)', baseline: null, ratio: null }
    measures[`${key}.rss-max`] = { value: round(s.rssMaxBytes / MB, 1), unit: 'MB (VmRSS, largest sample)', baseline: DEMO_RSS_TARGET_MB, ratio: round(DEMO_RSS_TARGET_MB / (s.rssMaxBytes / MB), 2) }
    measures[`${key}.rss-final`] = { value: round(s.rssFinalBytes / MB, 1), unit: 'MB (VmRSS, last sample)', baseline: DEMO_RSS_TARGET_MB, ratio: round(DEMO_RSS_TARGET_MB / (s.rssFinalBytes / MB), 2) }
    measures[`${key}.rss-anon-final`] = { value: round(s.rssAnonFinalBytes / MB, 1), unit: 'MB (RssAnon, last sample: heaps and stacks; the rest of RSS is shared file pages)', baseline: null, ratio: null }
    measures[`${key}.rss-hwm`] = { value: round(s.hwmBytes / MB, 1), unit: 'MB (VmHWM: the kernel\'s peak, between samples too)', baseline: null, ratio: null }
    measures[`${key}.ran`] = { value: round(r.ranS, 1), unit: `s (the CLI's own "after … s"; --duration ${run.durationS})`, baseline: null, ratio: null }
  }
  return measures
}

export function formatDemo(run: DemoRun): string[] {
  const lines = [`braking demo, ${run.durationS} s (targets: <= ${DEMO_CPU_TARGET_PCT} % of a core, RSS <= ${DEMO_RSS_TARGET_MB} MB)`]
  lines.push(`  ${'cli'.padEnd(5)} ${'cpu %'.padStart(6)} ${'main %'.padStart(7)} ${'peak %'.padStart(7)} ${'rss max MB'.padStart(10)} ${'final MB'.padStart(9)} ${'anon MB'.padStart(8)} ${'hwm MB'.padStart(7)} ${'ran s'.padStart(6)}`)
  for (const r of run.results) {
    const s = r.summary
    lines.push(`  ${r.variant.padEnd(5)} ${s.cpuPct.toFixed(2).padStart(6)} ${s.mainThreadCpuPct.toFixed(2).padStart(7)} ${s.cpuPeakPct.toFixed(2).padStart(7)} ${(s.rssMaxBytes / MB).toFixed(1).padStart(10)} ${(s.rssFinalBytes / MB).toFixed(1).padStart(9)} ${(s.rssAnonFinalBytes / MB).toFixed(1).padStart(8)} ${(s.hwmBytes / MB).toFixed(1).padStart(7)} ${r.ranS.toFixed(1).padStart(6)}`)
  }
  for (const r of run.results) lines.push(`  ${r.variant}: ${r.command}`)
  for (const note of run.notes) lines.push(`  ${note}`)
  return lines
}
