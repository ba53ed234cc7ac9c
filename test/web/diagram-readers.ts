// Reading a sequence diagram back from each of its three renderings, into the same words: its lanes'
// labels, and per row the lanes its arrow joins, its arrow's label (route · status · duration) and its
// summary. From the terminal's lines (columns of │), from the SVG file's text, and from the page's
// <svg> (a function run in the browser). Not a test file itself.

export interface ReadRow {
  from: string
  to: string
  label: string
  summary: string
}

export interface ReadDiagram {
  lanes: string[]
  rows: ReadRow[]
}

/** The lane whose lifeline is nearest `x`. */
function nearest(lanes: readonly number[], x: number): number {
  let best = 0
  lanes.forEach((lane, i) => {
    if (Math.abs(lane - x) < Math.abs(lanes[best]! - x)) best = i
  })
  return best
}

/** The terminal's diagram, drawn wide enough that no summary wraps (and without colours). */
export function readTerminal(lines: readonly string[]): ReadDiagram {
  const lanes = lines[1]!.trim().split(/\s+/).slice(1)
  const lifelines = [...lines[3]!].flatMap((c, i) => (c === '│' ? [i] : []))
  const laneWidth = lifelines[1]! - lifelines[0]!
  const lanesEnd = lifelines[0]! - Math.floor(laneWidth / 2) + lanes.length * laneWidth
  const rows = lines
    .filter((l) => /^\s+\+\d/.test(l))
    .map((line): ReadRow => {
      const at = (c: string) => line.indexOf(c)
      let from: number
      let to: number
      if (at('↺') >= 0) from = to = nearest(lifelines, at('├'))
      else if (at('▶') >= 0) [from, to] = [nearest(lifelines, at('├')), nearest(lifelines, at('▶') + 1)]
      else [from, to] = [nearest(lifelines, at('┤')), nearest(lifelines, at('◀') - 1)]
      const [route = '', status = '', duration = '', summary = ''] = line.slice(lanesEnd).trim().split(/\s{2,}/)
      return { from: lanes[from]!, to: lanes[to]!, label: `${route} · ${status} · ${duration}`, summary }
    })
  return { lanes, rows }
}

function unescapeXml(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
}

/** The SVG file make trace SVG= writes. */
export function readSvg(svg: string): ReadDiagram {
  const lanes = [...svg.matchAll(/text-anchor="middle" font-weight="bold">([^<]+)</g)].map((m) => unescapeXml(m[1]!))
  const lifelines = [...svg.matchAll(/<line x1="([\d.]+)" y1="[\d.]+" x2="\1" y2="[\d.]+" stroke="#b8c0cc"/g)].map((m) => Number(m[1]))
  const arrows = [...svg.matchAll(/<line class="message" x1="([\d.]+)" y1="[\d.]+" x2="([\d.]+)"|<path class="message" d="M([\d.]+),/g)].map((m) =>
    m[3] === undefined ? [nearest(lifelines, Number(m[1])), nearest(lifelines, Number(m[2]))] : [nearest(lifelines, Number(m[3])), nearest(lifelines, Number(m[3]))],
  )
  const labels = [...svg.matchAll(/paint-order="stroke">([^<]+)<\/text>/g)].map((m) => unescapeXml(m[1]!))
  const summaries = [...svg.matchAll(/<text class="summary"[^>]*>([^<]+)<\/text>/g)].map((m) => unescapeXml(m[1]!))
  return { lanes, rows: arrows.map(([from, to], i) => ({ from: lanes[from!]!, to: lanes[to!]!, label: labels[i]!, summary: summaries[i]! })) }
}

/**
 * Run in the page (its DOM; as a string, since this file's TypeScript has none): draws `messages`
 * (with their maintenance or not) with the page's own modules into a fresh diagram and reads it back as a ReadDiagram.
 */
export const READ_PAGE_DIAGRAM = `async (messages, maintenance) => {
  const { SequenceDiagram } = await import('/sequence.js')
  const { sequenceLayout } = await import('/render/sequence-layout.js')
  const ns = 'http://www.w3.org/2000/svg'
  const box = document.createElement('div')
  const head = document.createElementNS(ns, 'svg')
  const body = document.createElementNS(ns, 'svg')
  box.append(head, body)
  document.body.append(box)
  new SequenceDiagram(head, body, box, () => {}).show(sequenceLayout(messages, { maintenance }))
  const names = [...head.querySelectorAll('.lane-name')]
  const lanes = names.map((t) => t.textContent)
  const xs = names.map((t) => Number(t.getAttribute('x')))
  const nearest = (x) => xs.reduce((best, lane, i) => (Math.abs(lane - x) < Math.abs(xs[best] - x) ? i : best), 0)
  const rows = [...body.querySelectorAll('.seq-row')].map((g) => {
    const d = g.querySelector('.seq-arrow').getAttribute('d').split(' ')
    const x1 = Number(d[1])
    const x2 = d[3] === 'L' ? Number(d[4]) : x1
    const title = g.querySelector('title').textContent
    const summary = title.slice(title.indexOf(': ') + 2)
    return { from: lanes[nearest(x1)], to: lanes[nearest(x2)], label: g.querySelector('.seq-label').textContent, summary }
  })
  box.remove()
  return { lanes, rows }
}`
