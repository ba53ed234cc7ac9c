// @ts-check
// The side panel and status line: the ring's summary (its routing mode, its faults with the sides'
// colours) and problems, the selected node's pointers, faults and finger table, the route hop by hop,
// and the result lines of the forms and buttons.
import { byId, clear, html } from './dom.js'
import { faultsText, hasFaults, routeModeText, sideName } from './faults.js'
import { fullId, plural, shortId, sup } from './format.js'
import { nodeAt } from './scene.js'

/** @typedef {import('./api.js').Peer} Peer */
/** @typedef {import('./api.js').ValueReply} ValueReply */
/** @typedef {import('./scene.js').Scene} Scene */

/** Problems listed at most; the count is always exact. */
const MAX_PROBLEMS = 20

/**
 * A definition list's row.
 * @param {HTMLElement} dl
 * @param {string} term
 * @param {string} value
 * @param {string} [cls]
 */
function row(dl, term, value, cls) {
  dl.appendChild(html('dt', {}, term))
  dl.appendChild(html('dd', cls ? { class: cls } : {}, value))
}

/** The summary's faults: the partition's sides, each with its colour, then the other faults, one a line. */
function faultsRow(/** @type {HTMLElement} */ dl, /** @type {Scene['ring']['faults']} */ faults) {
  dl.appendChild(html('dt', {}, 'faults'))
  const dd = html('dd', { id: 'summary-faults', class: hasFaults(faults) ? 'fault-text' : '' })
  if (!hasFaults(faults)) dd.textContent = 'none'
  if (faults.sides.length > 0) dd.appendChild(html('div', {}, `partitioned in ${faults.sides.length}:`))
  for (const { side, ports } of faults.sides) {
    const line = html('div', { class: 'side-line', 'data-side': side })
    line.appendChild(html('span', { class: `sw sw-side-${side}`, 'aria-hidden': 'true' }))
    line.append(` ${sideName(side)}: ${ports.map((p) => `@${p}`).join(' ')}`)
    dd.appendChild(line)
  }
  for (const text of faults.lines) dd.appendChild(html('div', {}, text))
  dl.appendChild(dd)
}

/** The Ring card and the status line at the top. */
export function renderSummary(/** @type {Scene} */ { ring, nodes, processes }) {
  const alive = nodes.filter((n) => n.live)
  const dead = nodes.length - alive.length
  // With virtual nodes (VNODES=v) the nodes are counted by process too.
  const hosted = processes < nodes.length
  const dl = byId('summary', HTMLElement)
  clear(dl)
  row(dl, hosted ? 'virtual nodes' : 'nodes', `${alive.length} answering${dead > 0 ? `, ${dead} not` : ''}`, dead > 0 ? 'error-text' : undefined)
  if (hosted) row(dl, 'processes', `${processes}, each its virtual nodes behind one port (drawn in one colour)`)
  row(dl, 'keys', `${ring.keyCount} (${alive.reduce((s, n) => s + n.held, 0)} copies, r = ${ring.replicas})`)
  row(dl, 'id space', `${ring.bits}-bit (2${sup(ring.bits)} ids)`)
  row(dl, 'routing', routeModeText(ring.routeMode))
  dl.dataset.routeMode = ring.routeMode
  faultsRow(dl, ring.faults)
  row(dl, 'health', ring.healthy ? '✔ healthy' : `✘ ${plural(ring.problems.length, 'problem')}`, ring.healthy ? undefined : 'error-text')
  const ul = byId('problems', HTMLElement)
  clear(ul)
  for (const p of ring.problems.slice(0, MAX_PROBLEMS)) ul.appendChild(html('li', {}, p))
  if (ring.problems.length > MAX_PROBLEMS) ul.appendChild(html('li', {}, `… ${ring.problems.length - MAX_PROBLEMS} more`))

  const status = byId('status', HTMLElement)
  clear(status)
  status.append(`${hosted ? `${plural(alive.length, 'virtual node')} in ${processes} ${processes === 1 ? 'process' : 'processes'}` : plural(alive.length, 'node')} · ${plural(ring.keyCount, 'key')} · ${ring.bits}-bit ids · routing by ${ring.routeMode} · `)
  status.appendChild(html('span', { class: ring.healthy ? 'ok' : 'bad' }, ring.healthy ? 'healthy' : plural(ring.problems.length, 'problem')))
  if (hasFaults(ring.faults)) status.appendChild(html('span', { class: 'faulty' }, ring.faults.sides.length > 0 ? ' · partitioned' : ' · faults injected'))
  status.append(` · updated ${new Date(ring.takenAt).toLocaleTimeString()}`)
}

/** The status line when the web server does not answer: the last picture stays, greyed out. */
export function renderUnreachable(/** @type {string} */ message) {
  const status = byId('status', HTMLElement)
  clear(status)
  status.appendChild(html('span', { class: 'bad' }, message === 'Failed to fetch' ? 'cannot reach the web server (is make web still running?)' : message))
}

/** The Selected node card, and the Leave / Crash buttons named after it. */
export function renderSelected(/** @type {Scene} */ scene) {
  const { ring, byKey, selected } = scene
  const n = selected ? byKey.get(selected) : undefined
  const live = n && n.live ? n : undefined
  const leave = byId('leave-btn', HTMLButtonElement)
  const crash = byId('crash-btn', HTMLButtonElement)
  leave.textContent = live ? `Leave @${live.port}` : 'Leave (random node)'
  crash.textContent = live ? `Crash @${live.port}` : 'Crash (random node)'
  leave.setAttribute('aria-label', live ? `Node @${live.port} leaves the ring gracefully` : 'A random node leaves the ring gracefully')
  crash.setAttribute('aria-label', live ? `Crash node @${live.port} with SIGKILL` : 'Crash a random node with SIGKILL')

  const box = byId('selected', HTMLElement)
  const key = n ? JSON.stringify([n.key, n.owned, n.held, n.live, n.faults]) : selected || ''
  if (box.dataset.for === key) return
  box.dataset.for = key
  clear(box)
  if (!selected) {
    box.appendChild(html('p', { class: 'help' }, 'Click a node, or Tab to it and press Enter, to see its pointers and finger table. Arrow keys move along the ring, Escape clears the selection.'))
    return
  }
  if (!n) {
    box.appendChild(html('p', { class: 'error-text' }, `${selected} is no longer part of the ring.`))
    return
  }
  const dl = html('dl')
  const peer = (/** @type {Peer | null} */ p) => (p ? `@${p.port} (${shortId(p.id, ring.bits)})` : '—')
  row(dl, 'node', `@${n.port} on ${n.host}${n.pid ? `, pid ${n.pid}` : ''}`)
  // A process hosting virtual nodes leaves and crashes with all of them.
  if (n.colour !== null) row(dl, 'virtual node', `#${n.vnode} of its process's ${scene.nodes.filter((m) => m.address === n.address).length}`)
  row(dl, 'id', fullId(n.id, ring.bits), 'mono')
  row(dl, 'faults', n.faults ? faultsText(n.faults) || 'none' : 'unknown (its plan could not be read)', n.faults && faultsText(n.faults) ? 'fault-text' : undefined)
  const info = n.live
  if (!info) {
    row(dl, 'state', `not answering: ${n.error || 'no reply'}`, 'error-text')
    box.appendChild(dl)
    return
  }
  row(dl, 'status', info.status)
  row(dl, 'predecessor', peer(info.predecessor))
  row(dl, 'successors', info.successors.map((s) => `@${s.port}`).join(' → ') || '—')
  row(dl, 'keys', `${n.owned} owned, ${n.held} copies held${info.tombstones > 0 ? `, ${plural(info.tombstones, 'deletion')} remembered` : ''}`)
  row(dl, 'routing state', `${plural(info.routingState.entries, 'node')} named, ${info.routingState.bytes} bytes`)
  box.appendChild(dl)

  const table = html('table', { class: 'fingers', 'aria-label': `Finger table of @${n.port}` })
  table.appendChild(html('caption', { class: 'help' }, `Finger table: entry i points at the first node at or after id + 2^i (${info.fingers.length} distinct)`))
  const head = html('tr')
  for (const h of ['i', 'start', 'node']) head.appendChild(html('th', { scope: 'col' }, h))
  table.appendChild(head)
  info.fingers.forEach((f, i) => {
    const next = info.fingers[i + 1]
    const last = next ? next.index - 1 : ring.bits - 1
    const target = nodeAt(scene, f.node)
    const dead = target !== undefined && !target.live
    const tr = html('tr')
    tr.appendChild(html('td', {}, last > f.index ? `${f.index}–${last}` : String(f.index)))
    tr.appendChild(html('td', { class: 'mono' }, shortId(f.start, ring.bits)))
    tr.appendChild(html('td', dead ? { class: 'dead' } : {}, peer(f.node) + (dead ? ' ✘' : '')))
    table.appendChild(tr)
  })
  box.appendChild(table)
}

/** The route under the form, one line per node on the path; empty without a route. */
export function renderRouteList(/** @type {ValueReply | null} */ route, /** @type {number} */ bits) {
  const list = byId('route-list', HTMLElement)
  clear(list)
  if (!route) return
  route.path.forEach((p, i) => {
    const last = i === route.path.length - 1
    const role = i === 0 ? (last ? 'asked, owner' : 'asked') : last ? 'owner' : 'hop'
    list.appendChild(html('li', {}, `@${p.port} (${shortId(p.id, bits)}) — ${role}`))
  })
}

/**
 * A result line (#kv-result, #action-result): what happened, green when it worked, red when not.
 * @param {string} id
 * @param {string} text
 * @param {'ok' | 'error'} [kind]
 */
export function setResult(id, text, kind) {
  const p = byId(id, HTMLElement)
  p.textContent = text
  p.className = `result${kind ? ' ' + kind : ''}`
}
