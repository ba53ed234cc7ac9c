// chord-lab · the ring: draws /api/ring as an identifier circle and refreshes it every second.
// Plain browser JavaScript, no build step, no external resources.
'use strict'
;(() => {
  const SVG = 'http://www.w3.org/2000/svg'
  const R = 370 // radius of the identifier circle in SVG units (viewBox is -500..500)
  const POLL_MS = 1000

  const $ = (id) => document.getElementById(id)
  const layers = {
    axis: $('layer-axis'),
    succ: $('layer-succ'),
    keys: $('layer-keys'),
    fingers: $('layer-fingers'),
    route: $('layer-route'),
    nodes: $('layer-nodes'),
    labels: $('layer-labels'),
    hops: $('layer-hops'),
  }

  const view = {
    ring: null, // the last /api/ring answer
    selected: null, // "host:port" of the selected node
    route: null, // the last store/lookup answer, drawn until the next one
    routeDrawnFor: '', // geometry the route was drawn for, to redraw without animation when it changes
    axisFor: '',
    keysFor: '',
    nodeEls: new Map(), // "host:port" -> <circle class="node">
    busy: false,
  }

  // ---------------------------------------------------------------- geometry

  const addressOf = (n) => `${n.host}:${n.port}`
  /** Fraction of the way round the ring, 0 ≤ f < 1, of a hex id (ids are fixed-width hex). */
  const fraction = (hex, bits) => Number(BigInt('0x' + hex)) / 2 ** bits
  const angleOf = (hex, bits) => fraction(hex, bits) * 2 * Math.PI
  /** Clockwise from the top: angle 0 is at 12 o'clock. */
  const point = (angle, radius) => [radius * Math.sin(angle), -radius * Math.cos(angle)]
  const fmt = (v) => (Math.round(v * 10) / 10).toString()
  const pt = (p) => `${fmt(p[0])} ${fmt(p[1])}`

  function arcPath(a1, a2, radius) {
    let delta = a2 - a1
    while (delta < 0) delta += 2 * Math.PI
    while (delta >= 2 * Math.PI) delta -= 2 * Math.PI
    const large = delta > Math.PI ? 1 : 0
    return `M ${pt(point(a1, radius))} A ${radius} ${radius} 0 ${large} 1 ${pt(point(a1 + delta, radius))}`
  }

  /**
   * A chord from one point of the ring to another, bowed towards the centre like the Chord paper's
   * figures: nearly straight between neighbours, bent more the further apart the ends are.
   */
  function chord(a1, a2, r1, r2) {
    const p1 = point(a1, r1)
    const p2 = point(a2, r2)
    const span = Math.min(clockwise(a1, a2), clockwise(a2, a1))
    const bow = 1 - 0.6 * Math.sin(span / 2)
    const control = [((p1[0] + p2[0]) / 2) * bow, ((p1[1] + p2[1]) / 2) * bow]
    return { d: `Q ${pt(control)} ${pt(p2)}`, start: p1, end: p2, control }
  }
  /** A point of a chord, t from 0 (start) to 1 (end). */
  function along(c, t) {
    const u = 1 - t
    return [u * u * c.start[0] + 2 * u * t * c.control[0] + t * t * c.end[0], u * u * c.start[1] + 2 * u * t * c.control[1] + t * t * c.end[1]]
  }

  function clockwise(a1, a2) {
    let d = a2 - a1
    while (d < 0) d += 2 * Math.PI
    return d
  }

  // ---------------------------------------------------------------- text helpers

  function shortId(hex, bits) {
    if (bits <= 20) return String(BigInt('0x' + hex))
    return hex.length > 8 ? hex.slice(0, 8) : hex
  }
  function idText(hex, bits) {
    return bits <= 20 ? `id ${BigInt('0x' + hex)}` : `id ${shortId(hex, bits)}…`
  }
  function plural(n, word) {
    return `${n} ${word}${n === 1 ? '' : 's'}`
  }
  function sup(n) {
    const digits = '⁰¹²³⁴⁵⁶⁷⁸⁹'
    return String(n)
      .split('')
      .map((d) => digits[Number(d)])
      .join('')
  }

  function el(tag, attrs, parent, text) {
    const node = document.createElementNS(SVG, tag)
    for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined && v !== null) node.setAttribute(k, String(v))
    if (text !== undefined) node.textContent = text
    if (parent) parent.appendChild(node)
    return node
  }
  function html(tag, attrs, text) {
    const node = document.createElement(tag)
    for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined && v !== null) node.setAttribute(k, String(v))
    if (text !== undefined) node.textContent = text
    return node
  }
  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild)
  }

  // ---------------------------------------------------------------- sizes that depend on how crowded the ring is

  function nodeRadius(count) {
    if (count <= 12) return 19
    if (count <= 24) return 15
    if (count <= 48) return 11
    if (count <= 100) return 7
    return 5
  }

  // ---------------------------------------------------------------- drawing

  function drawAxis(ring, nodes) {
    const alive = nodes.filter((n) => !n.dead).length
    const key = `${ring.bits}|${ring.keyCount}|${nodes.map((n) => n.id + n.dead).join(',')}`
    if (view.axisFor === key) return
    view.axisFor = key
    const g = layers.axis
    clear(g)
    el('circle', { class: 'axis-ring', cx: 0, cy: 0, r: R }, g)
    const bits = ring.bits
    const quarter = (q) => {
      if (q === 0) return '0'
      if (bits <= 20) return String((2 ** bits * q) / 4)
      return q === 2 ? `2${sup(bits - 1)}` : `${q === 3 ? '3·' : ''}2${sup(bits - 2)}`
    }
    for (let q = 0; q < 4; q++) {
      const a = (q * Math.PI) / 2
      const [x1, y1] = point(a, R - 8)
      const [x2, y2] = point(a, R + 8)
      el('line', { class: 'axis-tick', x1: fmt(x1), y1: fmt(y1), x2: fmt(x2), y2: fmt(y2) }, g)
      // The label only where no node (and so no hop badge or finger label) sits next to it.
      if (nodes.some((n) => Math.min(clockwise(n.angle, a), clockwise(a, n.angle)) < 0.16)) continue
      const [lx, ly] = point(a, R - 52)
      el('text', { class: 'axis-label', x: fmt(lx), y: fmt(ly), 'text-anchor': 'middle', 'dominant-baseline': 'middle' }, g, quarter(q))
    }
    el('text', { class: 'center-big', x: 0, y: -18, 'text-anchor': 'middle' }, g, plural(alive, 'node'))
    el('text', { class: 'center-small', x: 0, y: 16, 'text-anchor': 'middle' }, g, `${plural(ring.keyCount, 'key')} · ${bits}-bit ids (2${sup(bits)})`)
    const dead = nodes.length - alive
    if (dead > 0) el('text', { class: 'center-warn', x: 0, y: 44, 'text-anchor': 'middle' }, g, `${dead} not answering`)
    else el('text', { class: 'center-small', x: 0, y: 44, 'text-anchor': 'middle' }, g, `r = ${ring.replicas} copies`)
  }

  function drawSuccessors(ring, nodes, byAddress, r) {
    const g = layers.succ
    clear(g)
    const arrows = nodes.length <= 64
    for (const n of nodes) {
      if (n.dead) continue
      const s = n.info.successor
      const from = n.angle
      const to = angleOf(s.id, ring.bits)
      const target = byAddress.get(addressOf(s))
      const broken = !target || target.dead
      if (s.id === n.id) {
        el('circle', { class: 'succ', cx: 0, cy: 0, r: R }, g)
        continue
      }
      // Stop at the edge of both circles, so the arrow head is visible.
      const pad = (r + 3) / R
      const span = clockwise(from, to)
      if (span <= 2 * pad) continue
      el('path', { class: broken ? 'succ broken' : 'succ', d: arcPath(from + pad, to - pad, R), 'marker-end': arrows ? 'url(#arrow-succ)' : undefined }, g)
    }
  }

  function drawKeys(ring) {
    const sig = `${ring.bits}|${ring.keys.length}|${ring.keys.map((k) => k.key + (k.owner ?? '-')).join(',')}`
    if (view.keysFor === sig) return
    view.keysFor = sig
    const g = layers.keys
    clear(g)
    const titles = ring.keys.length <= 600
    const dot = ring.keys.length > 1000 ? 2.5 : 3.5
    for (const k of ring.keys) {
      const [x, y] = point(angleOf(k.key, ring.bits), R - 20)
      const c = el('circle', { class: k.owner == null ? 'key orphan' : 'key', cx: fmt(x), cy: fmt(y), r: dot, 'data-key': k.key }, g)
      if (titles) el('title', {}, c, `key ${shortId(k.key, ring.bits)}: ${JSON.stringify(k.value)}${k.owner != null ? ` on @${k.owner}` : ' (no owner answering)'}`)
    }
  }

  function drawFingers(ring, selected, byAddress, r) {
    const g = layers.fingers
    clear(g)
    if (!selected || selected.dead) return
    const seen = new Set()
    for (const f of selected.info.fingers) {
      const address = addressOf(f.node)
      if (f.node.id === selected.id || seen.has(address)) continue
      seen.add(address)
      const target = byAddress.get(address)
      const a2 = angleOf(f.node.id, ring.bits)
      const c = chord(selected.angle, a2, R - r - 2, R - r - 2)
      el('path', { class: target && !target.dead ? 'finger' : 'finger dead', d: `M ${pt(c.start)} ${c.d}`, 'marker-end': 'url(#arrow-finger)', 'data-finger': f.index, 'data-port': f.node.port }, g)
      const [lx, ly] = along(c, 0.8)
      el('text', { class: 'finger-label', x: fmt(lx), y: fmt(ly), 'text-anchor': 'middle', 'dominant-baseline': 'middle' }, g, `f${f.index}`)
    }
  }

  function syncNodes(ring, nodes, r) {
    const g = layers.nodes
    const wanted = new Set(nodes.map((n) => n.address))
    for (const [address, node] of view.nodeEls) {
      if (!wanted.has(address)) {
        node.remove()
        view.nodeEls.delete(address)
      }
    }
    const focused = document.activeElement
    let order = 0
    for (const n of nodes) {
      let c = view.nodeEls.get(n.address)
      if (!c) {
        c = el('circle', { tabindex: 0, role: 'button' })
        c.addEventListener('click', () => select(n.address, true))
        c.addEventListener('keydown', (event) => onNodeKey(event, n.address))
        view.nodeEls.set(n.address, c)
      }
      // Keep the DOM (and so Tab) in ring order; only move elements that are out of place.
      if (g.children[order] !== c) g.insertBefore(c, g.children[order] || null)
      order++
      const [x, y] = point(n.angle, R)
      const isSelected = view.selected === n.address
      c.setAttribute('class', `node${n.dead ? ' dead' : ''}${isSelected ? ' selected' : ''}`)
      c.setAttribute('cx', fmt(x))
      c.setAttribute('cy', fmt(y))
      c.setAttribute('r', String(r))
      c.setAttribute('data-port', String(n.port))
      c.setAttribute('data-id', n.id)
      c.setAttribute('data-keys', String(n.owned))
      c.setAttribute('aria-pressed', isSelected ? 'true' : 'false')
      const state = n.dead ? `not answering (${n.error || 'no reply'})` : `${plural(n.owned, 'key')}, ${n.info.status}`
      c.setAttribute('aria-label', `node @${n.port}, ${idText(n.id, ring.bits)}, ${state}`)
      let title = c.querySelector('title')
      if (!title) title = el('title', {}, c)
      title.textContent = `@${n.port}  ${n.id}\n${state}${n.dead ? '' : `\n${n.held} copies held`}`
    }
    if (focused && focused !== document.activeElement && focused.isConnected) focused.focus()
  }

  /** Which nodes get a label: as many as fit without overlapping, the selected node and the route first. */
  function chooseLabels(nodes, r, routeAddresses) {
    const radius = R + r + 16
    const lines = nodes.length > 24 ? 1 : 2
    const size = (n) => {
      const w = 12 + 8.6 * String(n.port).length + (lines === 1 ? 0 : 0)
      return { w: Math.max(w, lines === 2 ? 64 : 0), h: lines === 2 ? 34 : 18 }
    }
    /** The angle two labels need between them at this angle: the label's extent along the tangent. */
    const need = (n) => {
      const { w, h } = size(n)
      return (w * Math.abs(Math.cos(n.angle)) + h * Math.abs(Math.sin(n.angle))) / radius
    }
    const gapOf = (i) => {
      if (nodes.length === 1) return 2 * Math.PI
      const n = nodes[i]
      const prev = nodes[(i - 1 + nodes.length) % nodes.length]
      const next = nodes[(i + 1) % nodes.length]
      return Math.min(clockwise(prev.angle, n.angle), clockwise(n.angle, next.angle))
    }
    const priority = nodes.map((n, i) => ({ n, score: (view.selected === n.address ? 10 : 0) + (routeAddresses.has(n.address) ? 5 : 0) + gapOf(i) }))
    priority.sort((a, b) => b.score - a.score)
    const chosen = []
    for (const { n } of priority) {
      const ok = chosen.every((m) => {
        const d = Math.min(clockwise(m.angle, n.angle), clockwise(n.angle, m.angle))
        return d >= (need(n) + need(m)) / 2
      })
      if (ok) chosen.push(n)
    }
    return { chosen: new Set(chosen.map((n) => n.address)), radius, lines }
  }

  function drawLabels(ring, nodes, r) {
    const g = layers.labels
    clear(g)
    const routeAddresses = new Set((view.route ? view.route.path : []).map(addressOf))
    const { chosen, radius, lines } = chooseLabels(nodes, r, routeAddresses)
    for (const n of nodes) {
      // The key count inside the circle when it fits.
      if (r >= 11) {
        const [x, y] = point(n.angle, R)
        const text = n.dead ? '×' : String(n.owned)
        const fontSize = Math.min(r * 1.05, text.length >= 3 ? r * 0.8 : r * 1.05)
        el('text', { class: `node-count${n.dead ? ' dead' : ''}${view.selected === n.address ? ' on-selected' : ''}`, x: fmt(x), y: fmt(y + 0.5), 'text-anchor': 'middle', 'dominant-baseline': 'central', 'font-size': fmt(fontSize) }, g, text)
      }
      if (!chosen.has(n.address)) continue
      const [x, y] = point(n.angle, radius)
      const s = Math.sin(n.angle)
      const anchor = Math.abs(s) < 0.25 ? 'middle' : s > 0 ? 'start' : 'end'
      const c = Math.cos(n.angle)
      // Above the circle the text grows upwards, below it downwards.
      const firstLine = lines === 2 ? (c > 0.25 ? -20 : c < -0.25 ? 6 : -7) : c > 0.25 ? -4 : c < -0.25 ? 10 : 4
      const t = el('text', { class: `node-label${n.dead ? ' dead' : ''}`, x: fmt(x), y: fmt(y + firstLine), 'text-anchor': anchor, 'dominant-baseline': 'central' }, g)
      el('tspan', {}, t, `@${n.port}`)
      if (lines === 2) el('tspan', { class: 'sub', x: fmt(x), dy: 16 }, t, n.dead ? 'dead' : shortId(n.id, ring.bits))
    }
  }

  function drawRoute(ring, r, animate) {
    const gRoute = layers.route
    const gHops = layers.hops
    clear(gRoute)
    clear(gHops)
    const route = view.route
    view.routeDrawnFor = `${ring.bits}|${r}`
    if (!route) return
    const bits = ring.bits
    const angles = route.path.map((p) => angleOf(p.id, bits))
    const keyAngle = angleOf(route.key, bits)
    const ownerAngle = angleOf(route.node.id, bits)
    // Where the key sits, and the stretch of ring its owner covers up to it.
    if (clockwise(ownerAngle, keyAngle) > 0.01) el('path', { class: 'route-key-arc', d: arcPath(ownerAngle, keyAngle, R) }, gRoute)
    const hopMs = 550
    const total = Math.max(1, route.hops) * hopMs
    let d
    if (angles.length === 1) {
      // Zero hops: the node asked owns the key. A short loop marks it.
      const [x, y] = point(angles[0], R - r - 2)
      d = `M ${pt([x, y])} m -0.1 0 a ${r + 6} ${r + 6} 0 1 0 0.2 0`
    } else {
      d = `M ${pt(point(angles[0], R - r - 2))}`
      for (let i = 1; i < angles.length; i++) d += ' ' + chord(angles[i - 1], angles[i], R - r - 2, R - r - 2).d
    }
    const path = el(
      'path',
      {
        id: 'route',
        d,
        pathLength: 1,
        'data-hops': route.hops,
        'data-key': route.key,
        'data-op': route.op,
        'marker-end': angles.length > 1 ? 'url(#arrow-route)' : undefined,
        class: animate ? 'animate' : undefined,
      },
      gRoute,
    )
    // Through the CSSOM, not a style attribute: the page's Content-Security-Policy forbids inline styles.
    path.style.setProperty('--route-ms', `${total}ms`)
    el('title', {}, path, `${route.op} ${JSON.stringify(route.value)}: ${plural(route.hops, 'hop')}`)
    const [kx, ky] = point(keyAngle, R)
    el('path', { class: 'route-key', d: `M ${fmt(kx)} ${fmt(ky - 9)} L ${fmt(kx + 9)} ${fmt(ky)} L ${fmt(kx)} ${fmt(ky + 9)} L ${fmt(kx - 9)} ${fmt(ky)} Z` }, gHops)
    const [tx, ty] = point(keyAngle, R + 24)
    el('text', { class: 'route-key-label', x: fmt(tx), y: fmt(ty), 'text-anchor': 'middle', 'dominant-baseline': 'central' }, gHops, 'key')
    // Numbered badges: 0 is the node asked, the last one the owner.
    route.path.forEach((p, i) => {
      const [bx, by] = point(angles[i], R - r - 16)
      const badge = el('g', { class: animate && i > 0 ? 'hop-badge later' : 'hop-badge', 'data-hop': i, 'data-port': p.port }, gHops)
      if (animate && i > 0) badge.style.animationDelay = `${Math.round((i / Math.max(1, route.hops)) * total)}ms`
      el('circle', { cx: fmt(bx), cy: fmt(by), r: 11 }, badge)
      el('text', { x: fmt(bx), y: fmt(by + 0.5), 'text-anchor': 'middle', 'dominant-baseline': 'central' }, badge, String(i))
    })
  }

  // ---------------------------------------------------------------- the side panel

  function renderSummary(ring, nodes) {
    const alive = nodes.filter((n) => !n.dead)
    const dl = $('summary')
    clear(dl)
    const row = (k, v, cls) => {
      dl.appendChild(html('dt', {}, k))
      dl.appendChild(html('dd', cls ? { class: cls } : {}, v))
    }
    row('nodes', `${alive.length} answering${nodes.length > alive.length ? `, ${nodes.length - alive.length} not` : ''}`, nodes.length > alive.length ? 'error-text' : undefined)
    row('keys', `${ring.keyCount} (${alive.reduce((s, n) => s + n.held, 0)} copies, r = ${ring.replicas})`)
    row('id space', `${ring.bits}-bit (2${sup(ring.bits)} ids), routing by ${ring.routeMode || 'fingers'}`)
    row('health', ring.healthy ? '✔ healthy' : `✘ ${plural(ring.problems.length, 'problem')}`, ring.healthy ? undefined : 'error-text')
    const ul = $('problems')
    clear(ul)
    for (const p of ring.problems.slice(0, 20)) ul.appendChild(html('li', {}, p))
    if (ring.problems.length > 20) ul.appendChild(html('li', {}, `… ${ring.problems.length - 20} more`))

    const status = $('status')
    clear(status)
    status.append(`${plural(alive.length, 'node')} · ${plural(ring.keyCount, 'key')} · ${ring.bits}-bit ids · `)
    status.appendChild(html('span', { class: ring.healthy ? 'ok' : 'bad' }, ring.healthy ? 'healthy' : `${plural(ring.problems.length, 'problem')}`))
    status.append(` · updated ${new Date(ring.takenAt).toLocaleTimeString()}`)
  }

  function renderSelected(ring, byAddress) {
    const box = $('selected')
    const n = view.selected ? byAddress.get(view.selected) : undefined
    const leave = $('leave-btn')
    const crash = $('crash-btn')
    leave.textContent = n && !n.dead ? `Leave @${n.port}` : 'Leave (random node)'
    crash.textContent = n && !n.dead ? `Crash @${n.port}` : 'Crash (random node)'
    leave.setAttribute('aria-label', n && !n.dead ? `Node @${n.port} leaves the ring gracefully` : 'A random node leaves the ring gracefully')
    crash.setAttribute('aria-label', n && !n.dead ? `Crash node @${n.port} with SIGKILL` : 'Crash a random node with SIGKILL')
    const key = n ? JSON.stringify([n.address, n.dead, n.owned, n.held, n.info]) : view.selected || ''
    if (box.dataset.for === key) return
    box.dataset.for = key
    clear(box)
    if (!view.selected) {
      box.appendChild(html('p', { class: 'help' }, 'Click a node, or Tab to it and press Enter, to see its pointers and finger table. Arrow keys move along the ring, Escape clears the selection.'))
      return
    }
    if (!n) {
      box.appendChild(html('p', { class: 'error-text' }, `${view.selected} is no longer part of the ring.`))
      return
    }
    const dl = html('dl')
    const row = (k, v, cls) => {
      dl.appendChild(html('dt', {}, k))
      dl.appendChild(html('dd', cls ? { class: cls } : {}, v))
    }
    const peer = (p) => (p ? `@${p.port} (${shortId(p.id, ring.bits)})` : '—')
    row('node', `@${n.port} on ${n.host}${n.pid ? `, pid ${n.pid}` : ''}`)
    row('id', ring.bits <= 20 ? `${BigInt('0x' + n.id)} (0x${n.id})` : n.id, 'mono')
    if (n.dead) {
      row('state', `not answering: ${n.error || 'no reply'}`, 'error-text')
      box.appendChild(dl)
      return
    }
    row('status', n.info.status)
    row('predecessor', peer(n.info.predecessor))
    row('successors', n.info.successors.map((s) => `@${s.port}`).join(' → ') || '—')
    row('keys', `${n.owned} owned, ${n.held} copies held`)
    box.appendChild(dl)
    const table = html('table', { class: 'fingers', 'aria-label': `Finger table of @${n.port}` })
    const caption = html('caption', { class: 'help' }, `Finger table: entry i points at the first node at or after id + 2^i (${n.info.fingers.length} distinct)`)
    table.appendChild(caption)
    const head = html('tr')
    for (const h of ['i', 'start', 'node']) head.appendChild(html('th', { scope: 'col' }, h))
    table.appendChild(head)
    const fingers = n.info.fingers
    fingers.forEach((f, i) => {
      const next = fingers[i + 1]
      const last = next ? next.index - 1 : ring.bits - 1
      const tr = html('tr')
      tr.appendChild(html('td', {}, last > f.index ? `${f.index}–${last}` : String(f.index)))
      tr.appendChild(html('td', { class: 'mono' }, shortId(f.start, ring.bits)))
      const target = byAddress.get(addressOf(f.node))
      tr.appendChild(html('td', target && target.dead ? { class: 'dead' } : {}, peer(f.node) + (target && target.dead ? ' ✘' : '')))
      table.appendChild(tr)
    })
    box.appendChild(table)
  }

  // ---------------------------------------------------------------- render the whole view

  function render() {
    const ring = view.ring
    if (!ring) return
    const byAddress = new Map()
    const nodes = ring.nodes.map((n) => {
      const m = { ...n, address: addressOf(n), dead: !n.info || !!n.error, angle: angleOf(n.id, ring.bits) }
      byAddress.set(m.address, m)
      return m
    })
    const r = nodeRadius(nodes.length)
    drawAxis(ring, nodes)
    drawSuccessors(ring, nodes, byAddress, r)
    drawKeys(ring)
    drawFingers(ring, view.selected ? byAddress.get(view.selected) : undefined, byAddress, r)
    syncNodes(ring, nodes, r)
    drawLabels(ring, nodes, r)
    if (view.routeDrawnFor !== `${ring.bits}|${r}`) drawRoute(ring, r, false)
    renderSummary(ring, nodes)
    renderSelected(ring, byAddress)
  }

  function select(address, toggle) {
    view.selected = toggle && view.selected === address ? null : address
    render()
  }

  function onNodeKey(event, address) {
    const els = [...layers.nodes.children]
    const index = els.indexOf(view.nodeEls.get(address))
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault()
      select(address, true)
    } else if (event.key === 'Escape') {
      select(null, false)
    } else if (['ArrowRight', 'ArrowDown', 'ArrowLeft', 'ArrowUp'].includes(event.key) && els.length > 0) {
      event.preventDefault()
      const step = event.key === 'ArrowRight' || event.key === 'ArrowDown' ? 1 : -1
      const next = els[(index + step + els.length) % els.length]
      if (next) next.focus()
    }
  }

  // ---------------------------------------------------------------- talking to the server

  async function api(method, url, body) {
    const response = await fetch(url, {
      method,
      cache: 'no-store',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    let data
    try {
      data = await response.json()
    } catch {
      data = { error: `${response.status} ${response.statusText}` }
    }
    if (!response.ok) throw new Error(data && data.error ? data.error : `HTTP ${response.status}`)
    return data
  }

  async function poll() {
    try {
      view.ring = await api('GET', '/api/ring')
      $('ring').classList.remove('stale')
      render()
    } catch (error) {
      // Keep the last picture, greyed out, until the ring answers again.
      $('ring').classList.add('stale')
      const status = $('status')
      clear(status)
      status.appendChild(html('span', { class: 'bad' }, error.message === 'Failed to fetch' ? 'cannot reach the web server (is make web still running?)' : error.message))
    } finally {
      setTimeout(poll, POLL_MS)
    }
  }

  function setResult(id, text, kind) {
    const p = $(id)
    p.textContent = text
    p.className = `result${kind ? ' ' + kind : ''}`
  }

  function selectedPort() {
    if (!view.selected || !view.ring) return undefined
    const n = view.ring.nodes.find((m) => addressOf(m) === view.selected)
    return n && n.info && !n.error ? n.port : undefined
  }

  async function busy(work) {
    if (view.busy) return
    view.busy = true
    const buttons = document.querySelectorAll('button')
    buttons.forEach((b) => (b.disabled = true))
    try {
      await work()
    } finally {
      view.busy = false
      buttons.forEach((b) => (b.disabled = false))
    }
  }

  function showRoute(route) {
    view.route = route
    const list = $('route-list')
    clear(list)
    const bits = view.ring ? view.ring.bits : 160
    route.path.forEach((p, i) => {
      const role = i === 0 ? (route.path.length === 1 ? 'asked, owner' : 'asked') : i === route.path.length - 1 ? 'owner' : 'hop'
      list.appendChild(html('li', {}, `@${p.port} (${shortId(p.id, bits)}) — ${role}`))
    })
    if (view.ring) drawRoute(view.ring, nodeRadius(view.ring.nodes.length), true)
    render()
  }

  $('kv-form').addEventListener('submit', (event) => {
    event.preventDefault()
    const op = event.submitter && event.submitter.value === 'store' ? 'store' : 'lookup'
    const value = $('kv-value').value
    if (!value) return
    const port = selectedPort()
    busy(async () => {
      setResult('kv-result', `${op === 'store' ? 'storing' : 'looking up'} ${JSON.stringify(value)}…`)
      try {
        const query = new URLSearchParams({ value })
        if (port) query.set('port', String(port))
        const reply = op === 'store' ? await api('POST', '/api/store', { value, port }) : await api('GET', `/api/lookup?${query}`)
        const bits = view.ring ? view.ring.bits : 160
        setResult('kv-result', `${op === 'store' ? 'stored' : 'found'} ${JSON.stringify(reply.value)} · key ${shortId(reply.key, bits)} on @${reply.node.port} · asked @${reply.entry.port} · ${plural(reply.hops, 'hop')}`, 'ok')
        showRoute(reply)
      } catch (error) {
        setResult('kv-result', `${op} failed: ${error.message}`, 'error')
      }
    })
  })

  $('clear-route-btn').addEventListener('click', () => {
    view.route = null
    clear($('route-list'))
    setResult('kv-result', '')
    if (view.ring) drawRoute(view.ring, nodeRadius(view.ring.nodes.length), false)
    render()
  })

  async function action(label, url, body, describe) {
    await busy(async () => {
      setResult('action-result', `${label}…`)
      try {
        const reply = await api('POST', url, body)
        setResult('action-result', describe(reply), 'ok')
        view.ring = await api('GET', '/api/ring')
        render()
      } catch (error) {
        setResult('action-result', `${label} failed: ${error.message}`, 'error')
      }
    })
  }

  $('add-btn').addEventListener('click', () =>
    action('adding a node', '/api/add', {}, (r) => `node @${r.added.port} joined (pid ${r.added.pid})`),
  )
  $('leave-btn').addEventListener('click', () => {
    const port = selectedPort()
    action(port ? `@${port} leaving` : 'a random node leaving', '/api/leave', port ? { port } : {}, (r) => `node @${r.left.port} left${r.handedTo ? `; its keys went to @${r.handedTo.port}` : ''}`)
  })
  $('crash-btn').addEventListener('click', () => {
    const port = selectedPort()
    action(port ? `crashing @${port}` : 'crashing a random node', '/api/crash', port ? { port } : {}, (r) => `node @${r.crashed.port} crashed (SIGKILL); watch the ring repair itself`)
  })

  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && view.selected && !(event.target instanceof HTMLInputElement)) select(null, false)
  })

  poll()
})()
