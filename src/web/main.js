// @ts-check
// chord-lab · the ring: polls /api/ring every second and draws it (draw.js, panels.js); the forms and
// buttons store, look up, add, leave and crash through the API (api.js), and each of them is replayed
// message by message from its trace (player.js); a switch shows the maintenance traffic live
// (traffic.js). Plain ES modules, no build step.
import * as api from './api.js'
import { byId } from './dom.js'
import { addressOf, plural, shortId } from './format.js'
import { createDrawing, sceneOf } from './draw.js'
import { nodeRadius } from './geometry.js'
import { renderRouteList, renderSelected, renderSummary, renderUnreachable, setResult } from './panels.js'
import { createPlayer } from './player.js'
import { durationText, partyName } from './replay.js'
import { createLiveTraffic, createReplayDrawing } from './traffic.js'

const POLL_MS = 1000
/** A trace is asked for again after these delays: entries a node logs late (a join's last steps) join the replay. */
const TRACE_REFETCH_MS = [1500, 4000]
/** How often the live maintenance traffic is asked for. */
const LIVE_POLL_MS = 1000
/** Span ids of live messages already drawn are remembered this long (the polls overlap). */
const LIVE_MEMORY_MS = 15_000

/** @typedef {import('./api.js').RingView} RingView */
/** @typedef {import('./api.js').ValueReply} ValueReply */

const view = {
  /** @type {RingView | null} the last /api/ring answer */
  ring: null,
  /** @type {string | null} "host:port" of the selected node */
  selected: null,
  /** @type {ValueReply | null} the last store or lookup, drawn until the next one */
  route: null,
  busy: false,
}

const layer = (/** @type {string} */ name) => byId(`layer-${name}`, SVGGElement)
const drawing = createDrawing(
  { axis: layer('axis'), succ: layer('succ'), keys: layer('keys'), fingers: layer('fingers'), route: layer('route'), nodes: layer('nodes'), labels: layer('labels'), hops: layer('hops') },
  select,
)
/** The ring as drawn now, for the replay's and the live traffic's chords. */
const ringGeometry = () => (view.ring ? { bits: view.ring.bits, r: nodeRadius(view.ring.nodes.length) } : null)
const player = createPlayer(createReplayDrawing(layer('replay')), ringGeometry)
const liveTraffic = createLiveTraffic(layer('traffic'))

/** Draws the last answer with the current selection and route. */
function render() {
  if (!view.ring) return
  const scene = sceneOf(view.ring, view.selected, view.route)
  drawing.draw(scene)
  player.redraw()
  renderSummary(scene)
  renderSelected(scene)
  // For the browser test and anyone watching: which answer is on screen.
  byId('ring', SVGSVGElement).dataset.takenAt = view.ring.takenAt
}

function select(/** @type {string | null} */ address, /** @type {boolean} */ toggle) {
  view.selected = toggle && view.selected === address ? null : address
  render()
}

async function poll() {
  try {
    view.ring = await api.getRing()
    byId('ring', SVGSVGElement).classList.remove('stale')
    render()
  } catch (error) {
    // Keep the last picture, greyed out, until the ring answers again.
    byId('ring', SVGSVGElement).classList.add('stale')
    renderUnreachable(messageOf(error))
  } finally {
    setTimeout(poll, POLL_MS)
  }
}

const messageOf = (/** @type {unknown} */ error) => (error instanceof Error ? error.message : String(error))

/** The port of the selected node when it answers, for requests sent through it. */
function selectedPort() {
  const n = view.selected && view.ring ? view.ring.nodes.find((m) => addressOf(m) === view.selected) : undefined
  return n && n.info && !n.error ? n.port : undefined
}

/** One change at a time, with every button that changes the ring disabled meanwhile (the replay's stay). */
async function busy(/** @type {() => Promise<void>} */ work) {
  if (view.busy) return
  view.busy = true
  const buttons = /** @type {NodeListOf<HTMLButtonElement>} */ (document.querySelectorAll('.side button'))
  buttons.forEach((b) => (b.disabled = true))
  try {
    await work()
  } finally {
    view.busy = false
    buttons.forEach((b) => (b.disabled = false))
  }
}

function showRoute(/** @type {ValueReply | null} */ route) {
  view.route = route
  renderRouteList(route, view.ring ? view.ring.bits : 160)
  render()
}

/**
 * Replays an operation: its trace from every node, played from the first message, and asked for
 * again a little later for the entries logged after the reply (the replay keeps its place).
 * @param {string | undefined} traceId
 * @param {string} title
 */
async function replayTrace(traceId, title) {
  if (!traceId) return
  player.waiting(`${title}: fetching its messages…`)
  try {
    const trace = await api.getTrace(traceId)
    player.load({ title: trace.messages.length > 0 ? title : `${title}: no messages were logged (is MESSAGE_LOG=0?)`, traceId, messages: trace.messages, lanes: trace.lanes })
    byId('ring', SVGSVGElement).classList.toggle('replaying', trace.messages.length > 0)
  } catch (error) {
    player.waiting(`${title}: its trace could not be read (${messageOf(error)})`)
    return
  }
  for (const delay of TRACE_REFETCH_MS) {
    setTimeout(async () => {
      if (player.traceId !== traceId) return
      try {
        const later = await api.getTrace(traceId)
        if (player.traceId === traceId) player.update(later.messages, later.lanes)
      } catch {
        // The replay on screen stays as it is.
      }
    }, delay)
  }
}

/**
 * A crash sends no message: the replay is the repair instead, the maintenance messages of the next
 * few seconds that involve the crashed node or its neighbours, once those seconds have passed.
 * @param {import('./api.js').CrashReply} reply
 */
function replayRepair(reply) {
  const { crashed, repair } = reply
  const windowMs = Math.max(0, repair.until - repair.since)
  const around = repair.nodes.filter((n) => n.port !== crashed.port || n.host !== crashed.host)
  const title = `@${crashed.port} crashed: the repair, ${durationText(windowMs)} of maintenance by ${around.map(partyName).join(', ') || 'its neighbours'}`
  player.waiting(`${title}… (watching)`)
  byId('ring', SVGSVGElement).classList.remove('replaying')
  setTimeout(async () => {
    try {
      const traffic = await api.getMessages({ since: repair.since, until: repair.until, all: true, involving: repair.nodes.map(addressOf) })
      player.load({ title, traceId: null, messages: traffic.messages, lanes: traffic.lanes })
    } catch (error) {
      player.waiting(`${title}: the messages could not be read (${messageOf(error)})`)
    }
  }, windowMs + 300)
}

byId('kv-form', HTMLFormElement).addEventListener('submit', (event) => {
  event.preventDefault()
  const submitter = /** @type {SubmitEvent} */ (event).submitter
  const op = submitter instanceof HTMLButtonElement && submitter.value === 'store' ? 'store' : 'lookup'
  const value = byId('kv-value', HTMLInputElement).value
  if (!value) return
  const port = selectedPort()
  busy(async () => {
    setResult('kv-result', `${op === 'store' ? 'storing' : 'looking up'} ${JSON.stringify(value)}…`)
    try {
      const reply = await api.storeOrLookup(op, value, port)
      const bits = view.ring ? view.ring.bits : 160
      setResult('kv-result', `${op === 'store' ? 'stored' : 'found'} ${JSON.stringify(reply.value)} · key ${shortId(reply.key, bits)} on @${reply.node.port} · asked @${reply.entry.port} · ${plural(reply.hops, 'hop')}`, 'ok')
      showRoute(reply)
      replayTrace(reply.traceId, `${op} ${JSON.stringify(reply.value)} through @${reply.entry.port}: ${plural(reply.hops, 'hop')}`)
    } catch (error) {
      setResult('kv-result', `${op} failed: ${messageOf(error)}`, 'error')
    }
  })
})

byId('clear-route-btn', HTMLButtonElement).addEventListener('click', () => {
  setResult('kv-result', '')
  showRoute(null)
  player.clear()
  byId('ring', SVGSVGElement).classList.remove('replaying')
})

/**
 * A change to the ring, then a fresh picture of it and its replay.
 * @template T
 * @param {string} label
 * @param {() => Promise<T>} request
 * @param {(reply: T) => string} describe
 * @param {(reply: T) => void} replay
 */
function change(label, request, describe, replay) {
  return busy(async () => {
    setResult('action-result', `${label}…`)
    try {
      const reply = await request()
      setResult('action-result', describe(reply), 'ok')
      showRoute(null)
      replay(reply)
      view.ring = await api.getRing()
      render()
    } catch (error) {
      setResult('action-result', `${label} failed: ${messageOf(error)}`, 'error')
    }
  })
}

byId('add-btn', HTMLButtonElement).addEventListener('click', () =>
  change('adding a node', api.addNode, (r) => `node @${r.added.port} joined (pid ${r.added.pid})`, (r) => replayTrace(r.traceId, `@${r.added.port} joins the ring`)),
)
byId('leave-btn', HTMLButtonElement).addEventListener('click', () => {
  const port = selectedPort()
  change(
    port ? `@${port} leaving` : 'a random node leaving',
    () => api.leaveNode(port),
    (r) => `node @${r.left.port} left${r.handedTo ? `; its keys went to @${r.handedTo.port}` : ''}`,
    (r) => replayTrace(r.traceId, `@${r.left.port} leaves the ring`),
  )
})
byId('crash-btn', HTMLButtonElement).addEventListener('click', () => {
  const port = selectedPort()
  change(port ? `crashing @${port}` : 'crashing a random node', () => api.crashNode(port), (r) => `node @${r.crashed.port} crashed (SIGKILL); watch the ring repair itself`, replayRepair)
})

/**
 * The live maintenance traffic while the switch is on: each poll's new messages (the polls overlap,
 * so a message logged late is not missed, and span ids already drawn are skipped) as faint chords.
 */
const live = {
  on: false,
  /** @type {number | undefined} the server's clock at the last answer */
  since: undefined,
  /** @type {Map<string, number>} span id → when it was drawn */
  drawn: new Map(),
  count: 0,
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  timer: undefined,
}

async function pollLive() {
  live.timer = undefined
  if (!live.on) return
  try {
    // From a second before the last answer: a message is logged when its answer comes, after it started.
    // The first poll takes the server's last second.
    const reply = await api.getMessages({ ...(live.since === undefined ? {} : { since: live.since - LIVE_POLL_MS }), all: true })
    const g = ringGeometry()
    if (!live.on || !g) return
    const fresh = reply.messages.filter((m) => m.task && !live.drawn.has(m.spanId))
    const now = performance.now()
    for (const m of fresh) live.drawn.set(m.spanId, now)
    for (const [span, at] of live.drawn) if (now - at > LIVE_MEMORY_MS) live.drawn.delete(span)
    live.since = reply.now
    liveTraffic.add(fresh, g.bits, g.r)
    live.count += fresh.length
    byId('live', HTMLElement).dataset.count = String(live.count)
    /** @type {Record<string, number>} */
    const byTask = {}
    for (const m of fresh) byTask[m.task ?? ''] = (byTask[m.task ?? ''] ?? 0) + 1
    byId('live-rate', HTMLElement).textContent = `last second: ${Object.entries(byTask).map(([task, n]) => `${n} ${task}`).join(', ') || 'no messages'}`
  } catch (error) {
    byId('live-rate', HTMLElement).textContent = `cannot read the messages: ${messageOf(error)}`
  } finally {
    if (live.on) live.timer = setTimeout(pollLive, LIVE_POLL_MS)
  }
}

byId('live-switch', HTMLInputElement).addEventListener('change', (event) => {
  live.on = event.target instanceof HTMLInputElement && event.target.checked
  byId('live', HTMLElement).classList.toggle('on', live.on)
  if (live.timer) clearTimeout(live.timer)
  live.timer = undefined
  if (live.on) {
    live.since = undefined
    pollLive()
  } else {
    liveTraffic.clear()
    byId('live-rate', HTMLElement).textContent = ''
  }
})

document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && view.selected && !(event.target instanceof HTMLInputElement)) select(null, false)
})

poll()
