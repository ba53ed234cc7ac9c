// A hand-written SVG line chart: no plotting dependency, readable in any browser or image viewer.

export interface Series {
  name: string
  color: string
  points: Array<{ x: number; y: number }>
  dashed?: boolean
  /** Optional error bars (e.g. 1st and 99th percentiles). */
  low?: number[]
  high?: number[]
}

export interface ChartOptions {
  title: string
  xLabel: string
  yLabel: string
  logX?: boolean
  /** How an x tick is written (default: the number as it is). */
  xTick?: (x: number) => string
  width?: number
  height?: number
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

function niceStep(range: number, ticks: number): number {
  const raw = range / ticks
  const power = 10 ** Math.floor(Math.log10(raw))
  return [1, 2, 5, 10].map((m) => m * power).find((s) => range / s <= ticks) ?? raw
}

export function lineChart(series: Series[], options: ChartOptions): string {
  const width = options.width ?? 720
  const height = options.height ?? 420
  const margin = { left: 64, right: 180, top: 44, bottom: 56 }
  const plotW = width - margin.left - margin.right
  const plotH = height - margin.top - margin.bottom
  const all = series.flatMap((s) => s.points.map((p, i) => ({ x: p.x, y: Math.max(p.y, s.high?.[i] ?? p.y) })))
  const fx = (x: number) => (options.logX ? Math.log2(x) : x)
  const xs = all.map((p) => fx(p.x))
  const xMin = Math.min(...xs)
  const xMax = Math.max(...xs)
  const yMax = Math.max(...all.map((p) => p.y)) * 1.08 || 1
  const sx = (x: number) => margin.left + ((fx(x) - xMin) / (xMax - xMin || 1)) * plotW
  const sy = (y: number) => margin.top + plotH - (y / yMax) * plotH
  const out: string[] = []
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`)
  out.push(`<rect width="${width}" height="${height}" fill="#fff"/>`)
  out.push(`<text x="${width / 2 - margin.right / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${escape(options.title)}</text>`)
  const step = niceStep(yMax, 6)
  for (let y = 0; y <= yMax; y += step) {
    out.push(`<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${sy(y)}" y2="${sy(y)}" stroke="#e5e5e5"/>`)
    out.push(`<text x="${margin.left - 8}" y="${sy(y) + 4}" text-anchor="end">${+y.toFixed(3)}</text>`)
  }
  const xTicks = [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b)
  for (const x of xTicks) {
    out.push(`<line x1="${sx(x)}" x2="${sx(x)}" y1="${margin.top + plotH}" y2="${margin.top + plotH + 5}" stroke="#333"/>`)
    out.push(`<text x="${sx(x)}" y="${margin.top + plotH + 18}" text-anchor="middle">${escape(options.xTick ? options.xTick(x) : String(x))}</text>`)
  }
  out.push(`<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${margin.top + plotH}" y2="${margin.top + plotH}" stroke="#333"/>`)
  out.push(`<line x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${margin.top + plotH}" stroke="#333"/>`)
  out.push(`<text x="${margin.left + plotW / 2}" y="${height - 14}" text-anchor="middle">${escape(options.xLabel)}</text>`)
  out.push(`<text transform="translate(18 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escape(options.yLabel)}</text>`)
  series.forEach((s, index) => {
    const d = s.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ')
    out.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`)
    s.points.forEach((p, i) => {
      const low = s.low?.[i]
      const high = s.high?.[i]
      if (low !== undefined && high !== undefined) {
        out.push(`<line x1="${sx(p.x)}" x2="${sx(p.x)}" y1="${sy(low)}" y2="${sy(high)}" stroke="${s.color}" opacity="0.6"/>`)
      }
      if (!s.dashed) out.push(`<circle cx="${sx(p.x)}" cy="${sy(p.y)}" r="3" fill="${s.color}"/>`)
    })
    const ly = margin.top + 10 + index * 20
    const lx = margin.left + plotW + 16
    out.push(`<line x1="${lx}" x2="${lx + 24}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`)
    out.push(`<text x="${lx + 30}" y="${ly + 4}">${escape(s.name)}</text>`)
  })
  out.push('</svg>')
  return out.join('\n')
}
