// @ts-check
// chord-lab · the ring: polls /api/ring every second and draws it (draw.js, panels.js); the forms and
// buttons store, look up, add, leave and crash through the API (api.js). Plain ES modules, no build step.
import * as api from './api.js'
import { byId } from './dom.js'
import { addressOf, plural, shortId } from './format.js'
import { createDrawing, sceneOf } from './draw.js'
import { renderRouteList, renderSelected, renderSummary, renderUnreachable, setResult } from './panels.js'

const POLL_MS = 1000

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

/** Draws the last answer with the current selection and route. */
function render(animateRoute = false) {
  if (!view.ring) return
  const scene = sceneOf(view.ring, view.selected, view.route)
  if (animateRoute) drawing.drawRoute(scene, true)
  drawing.draw(scene)
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

/** One change at a time, with every button disabled meanwhile. */
async function busy(/** @type {() => Promise<void>} */ work) {
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

function showRoute(/** @type {ValueReply | null} */ route) {
  view.route = route
  renderRouteList(route, view.ring ? view.ring.bits : 160)
  render(route !== null)
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
    } catch (error) {
      setResult('kv-result', `${op} failed: ${messageOf(error)}`, 'error')
    }
  })
})

byId('clear-route-btn', HTMLButtonElement).addEventListener('click', () => {
  setResult('kv-result', '')
  showRoute(null)
})

/**
 * A change to the ring, then a fresh picture of it.
 * @template T
 * @param {string} label
 * @param {() => Promise<T>} request
 * @param {(reply: T) => string} describe
 */
function change(label, request, describe) {
  return busy(async () => {
    setResult('action-result', `${label}…`)
    try {
      const reply = await request()
      setResult('action-result', describe(reply), 'ok')
      view.ring = await api.getRing()
      render()
    } catch (error) {
      setResult('action-result', `${label} failed: ${messageOf(error)}`, 'error')
    }
  })
}

byId('add-btn', HTMLButtonElement).addEventListener('click', () => change('adding a node', api.addNode, (r) => `node @${r.added.port} joined (pid ${r.added.pid})`))
byId('leave-btn', HTMLButtonElement).addEventListener('click', () => {
  const port = selectedPort()
  change(port ? `@${port} leaving` : 'a random node leaving', () => api.leaveNode(port), (r) => `node @${r.left.port} left${r.handedTo ? `; its keys went to @${r.handedTo.port}` : ''}`)
})
byId('crash-btn', HTMLButtonElement).addEventListener('click', () => {
  const port = selectedPort()
  change(port ? `crashing @${port}` : 'crashing a random node', () => api.crashNode(port), (r) => `node @${r.crashed.port} crashed (SIGKILL); watch the ring repair itself`)
})

document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && view.selected && !(event.target instanceof HTMLInputElement)) select(null, false)
})

poll()
