// One trace as an SVG sequence diagram (make trace ID=… SVG=file): a lane per party with its label and
// id on top, an arrow per message in time order labelled with its route, status and duration, the
// summary in a column on the right. Failed messages red, maintenance grey and dashed. Hand-written SVG,
// no dependency; pure: messages in, the file's text out.
import type { Message, Party } from '../../node/trace/messages.js'
import { lanesOf } from '../../node/trace/messages.js'
import { conversationText, durationText, isFailed, isMaintenance, offsetText, partyKey, partyLabeller, routeText, statusText } from './message-format.js'

const LANE_WIDTH = 132
const TIME_WIDTH = 64
const TITLE_HEIGHT = 34
const HEADER_HEIGHT = 44
const ROW_HEIGHT = 34
const CHAR_WIDTH = 6.6
const MAX_SUMMARY_WIDTH = 560
const SELF_LOOP_WIDTH = 28

const INK = { message: '#1f4e99', failed: '#c62828', maintenance: '#9a9a9a', lifeline: '#b8c0cc', text: '#222', muted: '#667' } as const
type Ink = 'message' | 'failed' | 'maintenance'

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

function inkOf(message: Message): Ink {
  return isFailed(message) ? 'failed' : isMaintenance(message) ? 'maintenance' : 'message'
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

function laneHeader(party: Party, label: string, x: number, y: number): string[] {
  const box = `<rect x="${x - LANE_WIDTH / 2 + 10}" y="${y}" width="${LANE_WIDTH - 20}" height="${HEADER_HEIGHT - 8}" rx="6" fill="${party ? '#eef3fb' : '#f3efe6'}" stroke="${INK.lifeline}"/>`
  const name = `<text x="${x}" y="${y + 15}" text-anchor="middle" font-weight="bold">${escapeXml(label)}</text>`
  const id = party ? `<text x="${x}" y="${y + 29}" text-anchor="middle" font-family="ui-monospace, Menlo, Consolas, monospace" font-size="11" fill="${INK.muted}">${party.id.slice(0, 8)}</text>` : ''
  return [box, name, id]
}

/** What the arrow says: route, status, duration. */
function rowLabel(message: Message): string {
  return `${routeText(message)} · ${statusText(message)} · ${durationText(message.durationMs)}`
}

/** A message's row: a stripe behind every other one, and its arrow, labels and summary. */
function messageRow(message: Message, row: number, fromX: number, toX: number, origin: number, summaryX: number, top: number): { stripe?: string; marks: string[] } {
  const y = top + row * ROW_HEIGHT + ROW_HEIGHT / 2 + 6
  const ink = inkOf(message)
  const stroke = `stroke="${INK[ink]}" stroke-width="1.6"${ink === 'maintenance' ? ' stroke-dasharray="5 3"' : ''} marker-end="url(#head-${ink})" fill="none"`
  const label = rowLabel(message)
  const out: string[] = []
  out.push(`<text x="${TIME_WIDTH - 8}" y="${y + 4}" text-anchor="end" font-size="11" fill="${INK.muted}">${offsetText(message, origin)}</text>`)
  if (fromX === toX) {
    out.push(`<path class="message" d="M${fromX},${y - 8} h${SELF_LOOP_WIDTH} v14 h-${SELF_LOOP_WIDTH - 2}" ${stroke}/>`)
    out.push(haloText(fromX + SELF_LOOP_WIDTH + 6, y + 3, label, `font-size="11" fill="${INK[ink]}"`))
  } else {
    // The arrow stops short of the receiver's lifeline so its head shows.
    const end = toX + (toX > fromX ? -2 : 2)
    out.push(`<line class="message" x1="${fromX}" y1="${y}" x2="${end}" y2="${y}" ${stroke}/>`)
    out.push(haloText((fromX + toX) / 2, y - 6, label, `text-anchor="middle" font-size="11" fill="${INK[ink]}"`))
  }
  const summary = message.summary + (message.task ? ` [${message.task}]` : '')
  out.push(`<text x="${summaryX}" y="${y + 4}" font-size="12" fill="${ink === 'message' ? INK.text : INK[ink]}">${escapeXml(summary)}</text>`)
  const stripe = `<rect x="0" y="${y - ROW_HEIGHT / 2 - 6}" width="100%" height="${ROW_HEIGHT}" fill="#f7f9fc"/>`
  return { ...(row % 2 === 1 ? { stripe } : {}), marks: out }
}

/** The SVG text of one trace's messages (merged, in time order, as mergeTrace gives them). */
export function sequenceSvg(messages: readonly Message[]): string {
  const lanes = lanesOf(messages)
  const label = partyLabeller(lanes)
  const index = new Map(lanes.map((p, i) => [partyKey(p), i]))
  const centre = (i: number) => TIME_WIDTH + i * LANE_WIDTH + LANE_WIDTH / 2
  // A message of the last lane to itself writes its label to the right of its loop, before the summaries.
  const lastLane = lanes.length - 1
  const selfLabels = messages.filter((m) => m.from !== null && partyKey(m.from) === partyKey(m.to) && index.get(partyKey(m.from)) === lastLane)
  const selfLabelWidth = Math.max(0, ...selfLabels.map((m) => SELF_LOOP_WIDTH + 6 + rowLabel(m).length * CHAR_WIDTH - LANE_WIDTH / 2))
  const summaryX = TIME_WIDTH + lanes.length * LANE_WIDTH + 12 + Math.ceil(selfLabelWidth)
  const longest = Math.max(0, ...messages.map((m) => m.summary.length + (m.task ? m.task.length + 3 : 0)))
  const width = Math.ceil(summaryX + Math.min(MAX_SUMMARY_WIDTH, longest * CHAR_WIDTH) + 16)
  const top = TITLE_HEIGHT + HEADER_HEIGHT
  const height = top + messages.length * ROW_HEIGHT + 24
  const traceId = messages[0]?.traceId ?? ''
  const origin = messages[0]?.start ?? 0

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12" fill="${INK.text}">`,
    arrowMarkers(),
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="12" y="22"><tspan font-weight="bold">trace</tspan> <tspan font-family="ui-monospace, Menlo, Consolas, monospace">${escapeXml(traceId)}</tspan><tspan fill="${INK.muted}">  ${escapeXml(conversationText(messages, lanes.length))}</tspan></text>`,
    `<text x="${TIME_WIDTH - 8}" y="${top - 8}" text-anchor="end" font-size="11" fill="${INK.muted}">ms</text>`,
  ]
  const rows = messages.flatMap((m, row) => messageRow(m, row, centre(index.get(partyKey(m.from))!), centre(index.get(partyKey(m.to))!), origin, summaryX, top))
  // Stripes first, then lifelines over them, then the arrows and their labels on top.
  out.push(...rows.flatMap((r) => (r.stripe ? [r.stripe] : [])))
  lanes.forEach((party, i) => {
    out.push(`<line x1="${centre(i)}" y1="${top - 8}" x2="${centre(i)}" y2="${height - 12}" stroke="${INK.lifeline}" stroke-width="1.2"/>`)
    out.push(...laneHeader(party, label(party), centre(i), TITLE_HEIGHT))
  })
  out.push(...rows.flatMap((r) => r.marks))
  out.push('</svg>')
  return out.filter((e) => e !== '').join('\n')
}
