// One trace as an SVG file (make trace ID=… SVG=file), drawn from the layout every diagram shares
// (sequence-layout.ts) at the places sequence-geometry.ts gives: a lane per party with its label and
// id on top, an arrow per row labelled with its route, status and duration, the summary in a column on
// the right. Failed messages red, maintenance grey and dashed. Hand-written SVG, no dependency; pure:
// messages in, the file's text out.
import type { MessageJson as Message } from '../../node/wire-json.js'
import type { Outcome } from './message-format.js'
import { sequenceGeometry, arrowEnd, type RowGeometry } from './sequence-geometry.js'
import { foldedText, sequenceLayout, type Lane, type SequenceRow } from './sequence-layout.js'
import type { RowOptions } from './trace-rows.js'

const LANE_GAP = 132
const TIME_WIDTH = 64
const TITLE_HEIGHT = 34
const HEADER_HEIGHT = 44
const ROW_HEIGHT = 34
const CHAR_WIDTH = 6.6
const MAX_SUMMARY_WIDTH = 560
const SELF_LOOP = 28
const MONO = 'ui-monospace, Menlo, Consolas, monospace'

const INK = { message: '#1f4e99', failed: '#c62828', maintenance: '#9a9a9a', lifeline: '#b8c0cc', text: '#222', muted: '#667' } as const
type Ink = 'message' | 'failed' | 'maintenance'

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

function inkOf(outcome: Outcome, maintenance: boolean): Ink {
  return outcome !== 'ok' ? 'failed' : maintenance ? 'maintenance' : 'message'
}

/** A text with a white halo, so it stays readable where it crosses a lifeline. */
function haloText(x: number, y: number, text: string, attributes: string): string {
  return `<text x="${x}" y="${y}" ${attributes} stroke="#fff" stroke-width="4" stroke-linejoin="round" paint-order="stroke">${escapeXml(text)}</text>`
}

function arrowMarkers(): string {
  const marker = (ink: Ink) =>
    `<marker id="head-${ink}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${INK[ink]}"/></marker>`
  return `<defs>${marker('message')}${marker('failed')}${marker('maintenance')}</defs>`
}

function laneHeader(lane: Lane, x: number, y: number): string[] {
  const fill = lane.kind === 'node' ? '#eef3fb' : lane.kind === 'client' ? '#f3efe6' : '#f1f1f1'
  const box = `<rect x="${x - LANE_GAP / 2 + 10}" y="${y}" width="${LANE_GAP - 20}" height="${HEADER_HEIGHT - 8}" rx="6" fill="${fill}" stroke="${INK.lifeline}"/>`
  const name = `<text x="${x}" y="${y + 15}" text-anchor="middle" font-weight="bold">${escapeXml(lane.label)}</text>`
  const id = lane.id ? `<text x="${x}" y="${y + 29}" text-anchor="middle" font-family="${MONO}" font-size="11" fill="${INK.muted}">${lane.id}</text>` : ''
  return [box, name, id]
}

/** A row: a stripe behind every other one, and its time, arrow, label and summary. */
function rowMarks(row: SequenceRow, at: RowGeometry, index: number, summaryX: number): { stripe?: string; marks: string[] } {
  const { y } = at
  const ink = inkOf(row.row.outcome, row.row.maintenance)
  const stroke = `stroke="${INK[ink]}" stroke-width="1.6"${ink === 'maintenance' ? ' stroke-dasharray="5 3"' : ''} marker-end="url(#head-${ink})" fill="none"`
  const marks = [`<text x="${TIME_WIDTH - 8}" y="${y + 4}" text-anchor="end" font-size="11" fill="${INK.muted}">${row.offset}</text>`]
  if (at.self) marks.push(`<path class="message" d="M${at.x1},${y - 8} h${SELF_LOOP} v14 h-${SELF_LOOP - 2}" ${stroke}/>`)
  else marks.push(`<line class="message" x1="${at.x1}" y1="${y}" x2="${arrowEnd(at, 2)}" y2="${y}" ${stroke}/>`)
  marks.push(haloText(at.labelX, y - 6, row.label, `text-anchor="${at.anchor}" font-size="11" fill="${INK[ink]}"`))
  marks.push(`<text class="summary" x="${summaryX}" y="${y + 4}" font-size="12" fill="${ink === 'message' ? INK.text : INK[ink]}">${escapeXml(row.summary)}</text>`)
  const stripe = `<rect x="0" y="${y - ROW_HEIGHT / 2 - 6}" width="100%" height="${ROW_HEIGHT}" fill="#f7f9fc"/>`
  return { ...(index % 2 === 1 ? { stripe } : {}), marks }
}

/** The SVG text of one trace's messages (merged, in time order, as mergeTrace gives them). */
export function sequenceSvg(messages: readonly Message[], options: RowOptions = {}): string {
  const layout = sequenceLayout(messages, options)
  const top = TITLE_HEIGHT + HEADER_HEIGHT
  const geometry = sequenceGeometry(layout, { left: TIME_WIDTH + LANE_GAP / 2, leftEdge: TIME_WIDTH, laneGap: LANE_GAP, top, rowHeight: ROW_HEIGHT, charWidth: CHAR_WIDTH, selfLoop: SELF_LOOP, rightMargin: 12 })
  const summaryX = Math.max(geometry.width, TIME_WIDTH + layout.lanes.length * LANE_GAP + 12)
  const longest = Math.max(0, ...layout.rows.map((r) => r.summary.length))
  const width = Math.ceil(summaryX + Math.min(MAX_SUMMARY_WIDTH, longest * CHAR_WIDTH) + 16)
  const folded = foldedText(layout)
  const height = geometry.height + 8 + (folded ? 18 : 0)

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12" fill="${INK.text}">`,
    arrowMarkers(),
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="12" y="22"><tspan font-weight="bold">trace</tspan> <tspan font-family="${MONO}">${escapeXml(layout.traceId)}</tspan><tspan fill="${INK.muted}">  ${escapeXml(layout.title)}</tspan></text>`,
    `<text x="${TIME_WIDTH - 8}" y="${top - 8}" text-anchor="end" font-size="11" fill="${INK.muted}">ms</text>`,
  ]
  const rows = layout.rows.map((row, i) => rowMarks(row, geometry.rows[i]!, i, summaryX))
  // Stripes first, then lifelines over them, then the arrows and their labels on top.
  out.push(...rows.flatMap((r) => (r.stripe ? [r.stripe] : [])))
  layout.lanes.forEach((lane, i) => {
    const x = geometry.laneX[i]!
    out.push(`<line x1="${x}" y1="${top - 8}" x2="${x}" y2="${geometry.height - 4}" stroke="${INK.lifeline}" stroke-width="1.2"/>`)
    out.push(...laneHeader(lane, x, TITLE_HEIGHT))
  })
  out.push(...rows.flatMap((r) => r.marks))
  if (folded) out.push(`<text x="12" y="${height - 10}" font-size="11" fill="${INK.muted}">${escapeXml(folded)}</text>`)
  out.push('</svg>')
  return out.filter((e) => e !== '').join('\n')
}
