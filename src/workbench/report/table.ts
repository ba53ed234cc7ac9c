// The benchmark's summary table: sections of rows (metric, value, ratio to a baseline, target), laid
// out in columns that fit a terminal of `width` characters. Notes that do not fit beside a row go on
// the line below it, wrapped.
import pc from 'picocolors'
import { padEnd, visible, wrap } from './format.js'
import type { Target } from './targets.js'

export interface Row {
  metric: string
  value: string
  /** The value against its section's baseline measured in the same run, as a ratio: "14× / 3.8×". */
  vs?: string
  target?: Target
  /** How the target reads in the table when its own words are not enough: "p50 < 1 ms". */
  targetLabel?: string
  /** Context, printed dim: in the last column when it fits there, else on the next line. */
  note?: string
  /** Something that went wrong (errors, a ring that did not converge), printed in red. */
  alert?: string
}

export interface Section {
  title: string
  /** What the `vs` column compares with (default: the table's baseline). */
  baseline?: string
  rows: Row[]
}

export interface TableOptions {
  /** The baseline most sections compare with, named in the header. */
  baseline: string
  width?: number
  print?: (line: string) => void
}

const SEPARATOR = '  '

/** "✔ < 0.2 s", "✘ p50 < 1 ms" (uncoloured). */
export function targetText(row: Row): string {
  return row.target ? `${row.target.met ? '✔' : '✘'} ${row.targetLabel ?? row.target.target}` : ''
}

const colourMarks = (text: string) => text.replace(/✔/g, pc.green('✔')).replace(/✘/g, pc.red('✘'))

/** A piece of the last column: plain text and how it is coloured (after wrapping, so each line is whole). */
interface Piece {
  text: string
  colour: (text: string) => string
}

/** The last column of a row: its target, else its note and alert. */
function lastColumn(row: Row): Piece[] {
  const pieces: Piece[] = []
  if (row.target) pieces.push({ text: targetText(row), colour: colourMarks })
  if (row.note) pieces.push({ text: row.note, colour: pc.dim })
  if (row.alert) pieces.push({ text: row.alert, colour: pc.red })
  return pieces
}

export function printTable(sections: Section[], options: TableOptions): void {
  const width = options.width ?? 100
  const print = options.print ?? ((line: string) => console.log(line))
  const rows = sections.flatMap((s) => s.rows)
  const baselines = [options.baseline, ...sections.map((s) => s.baseline ?? options.baseline)]
  const columns = [
    Math.max(6, ...rows.map((r) => visible(r.metric).length)),
    Math.max(5, ...rows.map((r) => visible(r.value).length)),
    Math.max(...baselines.map((b) => `vs ${b}`.length), ...rows.map((r) => visible(r.vs ?? '').length)),
  ]
  const lastStart = columns.reduce((a, b) => a + b + SEPARATOR.length, 0)
  const lastWidth = width - lastStart
  const belowIndent = columns[0]! + SEPARATOR.length
  const rule = pc.dim('─'.repeat(width))
  const header = (baseline: string) => [padEnd('metric', columns[0]!), padEnd('value', columns[1]!), padEnd(`vs ${baseline}`, columns[2]!), 'target'].join(SEPARATOR)

  print('')
  print(pc.bold(header(options.baseline)))
  let shownBaseline = options.baseline
  for (const section of sections) {
    print(rule)
    for (const line of wrap(section.title, width)) print(pc.cyan(pc.bold(line)))
    const baseline = section.baseline ?? options.baseline
    if (baseline !== shownBaseline && section.rows.some((r) => r.vs !== undefined)) {
      print(pc.dim(header(baseline)))
      shownBaseline = baseline
    }
    for (const row of section.rows) {
      const pieces = lastColumn(row)
      // Beside the row: every piece that fits, in order (the target first); the rest goes below, wrapped.
      let besideCount = 0
      while (besideCount < pieces.length && pieces.slice(0, besideCount + 1).map((p) => p.text).join(SEPARATOR).length <= lastWidth) besideCount++
      const cell = pieces.slice(0, besideCount).map((p) => p.colour(p.text)).join(SEPARATOR)
      const below = pieces.slice(besideCount)
      print([padEnd(row.metric, columns[0]!), padEnd(row.value, columns[1]!), padEnd(pc.dim(row.vs ?? ''), columns[2]!), cell].join(SEPARATOR).trimEnd())
      for (const piece of below) {
        for (const part of wrap(piece.text, width - belowIndent)) print(' '.repeat(belowIndent) + piece.colour(part))
      }
    }
  }
  print(rule)
}

/** Every target of the table, in order: what results.json records. */
export function targetsOf(sections: Section[]): Target[] {
  return sections.flatMap((s) => s.rows.flatMap((r) => (r.target ? [r.target] : [])))
}
