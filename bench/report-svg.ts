import { bucketLabel, type LatenessBuckets } from './lateness-buckets.ts'

/** One distribution to draw. */
export interface SvgSeries {
  readonly label: string
  readonly color: string
  readonly buckets: LatenessBuckets
}

const WIDTH = 760
const HEIGHT = 400
const MARGIN = { left: 64, right: 16, top: 56, bottom: 92 }

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** A category of the x axis: its label and each series' share of releases in it (0-1). */
interface Category {
  readonly label: string
  readonly shares: readonly number[]
}

/**
 * The categories to draw: "early" when any series has early starts, the log buckets from the
 * first to the last that any series uses, and "skipped" (releases that never ran). Every series
 * must use the same edges.
 */
export function categories(series: readonly SvgSeries[]): Category[] {
  const edges = series[0]?.buckets.edgesUs ?? []
  const share = (s: SvgSeries, count: number): number => (s.buckets.expected > 0 ? count / s.buckets.expected : 0)
  const used = edges.map((_, i) => series.some(s => (s.buckets.counts[i] ?? 0) > 0))
  const first = used.indexOf(true)
  const last = used.lastIndexOf(true)
  const out: Category[] = []
  if (series.some(s => s.buckets.early > 0)) out.push({ label: 'early (< 0)', shares: series.map(s => share(s, s.buckets.early)) })
  for (let i = Math.max(0, first); first >= 0 && i <= last; i++) out.push({ label: bucketLabel(edges, i), shares: series.map(s => share(s, s.buckets.counts[i] ?? 0)) })
  out.push({ label: 'skipped', shares: series.map(s => share(s, s.buckets.missed)) })
  return out
}

/** The top of the y axis (a share, 0-1) and its tick step: 1-2-5 steps, at most ~6 ticks. */
function yScale(maxShare: number): { top: number; step: number } {
  const target = Math.max(maxShare, 0.01) / 5
  const magnitude = 10 ** Math.floor(Math.log10(target))
  const step = [1, 2, 5, 10].map(f => f * magnitude).find(s => s >= target) ?? 10 * magnitude
  return { top: Math.ceil(maxShare / step - 1e-9) * step || step, step }
}

const pct = (share: number): string => `${Number((share * 100).toPrecision(3))} %`

/**
 * A grouped bar chart of lateness distributions, hand-written SVG 1.1 (no dependency): one group
 * of bars per bucket, one bar per series (`class="bar s<i>"`, each with a <title> giving its
 * share), y = share of the releases in the measured windows.
 */
export function latenessSvg(title: string, subtitle: string, series: readonly SvgSeries[]): string {
  const cats = categories(series)
  const plotW = WIDTH - MARGIN.left - MARGIN.right
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom
  const { top, step } = yScale(Math.max(0, ...cats.flatMap(c => c.shares)))
  const y = (share: number): number => MARGIN.top + plotH - (share / top) * plotH
  const groupW = plotW / cats.length
  const barW = (groupW * 0.8) / Math.max(1, series.length)
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escape(title)}</text>`,
    `<text x="${WIDTH / 2}" y="40" text-anchor="middle" fill="#555555">${escape(subtitle)}</text>`,
  ]
  for (let tick = 0; tick <= top + 1e-9; tick += step) {
    parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(tick).toFixed(1)}" y2="${y(tick).toFixed(1)}" stroke="#dddddd"/>`)
    parts.push(`<text x="${MARGIN.left - 6}" y="${(y(tick) + 4).toFixed(1)}" text-anchor="end">${pct(tick)}</text>`)
  }
  cats.forEach((cat, c) => {
    const x0 = MARGIN.left + c * groupW + groupW * 0.1
    cat.shares.forEach((share, s) => {
      const x = x0 + s * barW
      const label = `${series[s]!.label}, ${cat.label}: ${pct(share)} of releases`
      parts.push(`<rect class="bar s${s}" x="${x.toFixed(1)}" y="${y(share).toFixed(1)}" width="${barW.toFixed(1)}" height="${(MARGIN.top + plotH - y(share)).toFixed(1)}" fill="${series[s]!.color}"><title>${escape(label)}</title></rect>`)
    })
    const lx = MARGIN.left + (c + 0.5) * groupW
    const ly = MARGIN.top + plotH + 12
    parts.push(`<text x="${lx.toFixed(1)}" y="${ly}" text-anchor="end" transform="rotate(-35 ${lx.toFixed(1)} ${ly})">${escape(cat.label)}</text>`)
  })
  parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#333333"/>`)
  parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH}" stroke="#333333"/>`)
  parts.push(`<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 8}" text-anchor="middle">release lateness (start − release), log-scaled buckets</text>`)
  parts.push(`<text x="16" y="${MARGIN.top + plotH / 2}" text-anchor="middle" transform="rotate(-90 16 ${MARGIN.top + plotH / 2})">share of releases</text>`)
  series.forEach((s, i) => {
    const lx = WIDTH - MARGIN.right - 330
    const ly = MARGIN.top + 8 + i * 18
    parts.push(`<rect class="legend" x="${lx}" y="${ly - 10}" width="12" height="12" fill="${s.color}"/>`)
    parts.push(`<text x="${lx + 18}" y="${ly}">${escape(s.label)}</text>`)
  })
  parts.push('</svg>')
  return `${parts.join('\n')}\n`
}
