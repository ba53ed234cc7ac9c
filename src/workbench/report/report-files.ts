// Writing a run's figures for make bench and make simulate alike: one JSON document and its SVG charts
// in one directory, and the chart both draw, mean hops (p1–p99) against N beside the paper's ½·log2 N.
import fs from 'node:fs'
import path from 'node:path'
import type { Summary } from './stats.js'
import { lineChart, type ChartOptions, type Series } from './svg-plot.js'

export interface Chart {
  /** File name in the report directory, e.g. "bench.svg". */
  file: string
  series: Series[]
  options: ChartOptions
}

/** Writes `data` as `dir/jsonFile` (indented, as people diff it) and each chart; returns the paths written. */
export function writeReport(dir: string, jsonFile: string, data: unknown, charts: Chart[]): string[] {
  fs.mkdirSync(dir, { recursive: true })
  const written = [path.join(dir, jsonFile)]
  fs.writeFileSync(written[0]!, JSON.stringify(data, null, 2) + '\n')
  for (const chart of charts) {
    const file = path.join(dir, chart.file)
    fs.writeFileSync(file, lineChart(chart.series, chart.options))
    written.push(file)
  }
  return written
}

export interface HopCurve {
  name: string
  color: string
  rows: Array<{ n: number; hops: Summary }>
}

/** Mean hops against N with p1–p99 bars, one series per curve, and ½·log2 N dashed over the same N. */
export function hopsChart(file: string, title: string, curves: HopCurve[]): Chart {
  const sizes = [...new Set(curves.flatMap((c) => c.rows.map((r) => r.n)))].sort((a, b) => a - b)
  return {
    file,
    series: [
      ...curves.map((c) => ({
        name: c.name,
        color: c.color,
        points: c.rows.map((r) => ({ x: r.n, y: r.hops.mean })),
        low: c.rows.map((r) => r.hops.p1),
        high: c.rows.map((r) => r.hops.p99),
      })),
      { name: '½·log2 N', color: '#dc2626', dashed: true, points: sizes.map((n) => ({ x: n, y: Math.log2(n) / 2 })) },
    ],
    options: { title, xLabel: 'nodes N (log scale)', yLabel: 'hops', logX: true },
  }
}

/** "a, b and c" */
export function fileList(files: string[]): string {
  return files.length <= 1 ? (files[0] ?? '') : `${files.slice(0, -1).join(', ')} and ${files[files.length - 1]}`
}
