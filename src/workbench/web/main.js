// @ts-check
// chord-lab · the ring: polls /api/ring every second and draws it (draw.js, panels.js); the forms and
// buttons store, look up, add, leave and crash through the API (api.js), and each of them is replayed
// message by message from its trace (player.js); the Break it card slows, drops, partitions and heals
// (fault-panel.js); a switch shows the maintenance traffic live (live.js, traffic.js). Plain ES
// modules, no build step.
import * as api from './api.js'
import { byId } from './dom.js'
import { durationText } from '../render/message-format.js'
import { addressOf, messageOf, nodeKey, plural, shortId } from './format.js'
import { RingDrawing } from './draw.js'
import { createFaultPanel } from './fault-panel.js'
import { renderRouteList, renderSelected, renderSummary, renderUnreachable, setResult } from './panels.js'
import { Player } from './player.js'
import { ringPlaces, sceneOf } from './scene.js'
import { createLiveSwitch } from './live.js'
import { createLiveTraffic, createReplayDrawing } from './traffic.js'
import { parseTraceFile } from './trace-file.js'

const POLL_MS = 1000
/** A trace is asked for again after these delays: entries a node logs late (a join's last steps) join the replay. */
const TRACE_REFETCH_MS = [1500, 4000]
/** The maintenance that repairs a crash: the successor's check_predecessor finds it gone, the predecessor's stabilize steps over it. */
const REPAIR_TASKS = ['check_predecessor', 'stabilize']

/** @typedef {import('./api.js').RingView} RingView */
/** @typedef {import('./api.js').ValueReply} ValueReply */

const view = {
  /** @type {RingView | null} the last /api/ring answer */
  ring: null,
  /** @type {string | null} the selected node's key ("host:port", with "#i" for a process's virtual node i > 0: format.js's nodeKey) */
  selected: null,
  /** @type {ValueReply | null} the last store or lookup, drawn until the next one */
  route: null,
  /** @type {Set<string>} "host:port" of the processes chosen for a partition's side (shift-click) */
  chosen: new Set(),
  /** @type {import('./scene.js').Scene | null} the frame on screen */
  scene: null,
  busy: false,
}

const layer = (/** @type {string} */ name) => byId(`layer-${name}`, SVGGElement)
const drawing = new RingDrawing(
  { axis: layer('axis'), succ: layer('succ'), keys: layer('keys'), fingers: layer('fingers'), route: layer('route'), faults: layer('faults'), nodes: layer('nodes'), labels: layer('labels'), hops: layer('hops') },
  select,
  choose,
)
/** The ring as drawn now, for the replay's and the live traffic's chords. */
const ringGeometry = () => (view.scene ? ringPlaces(view.scene) : null)
const player = new Player(createReplayDrawing(layer('replay')), ringGeometry)

/** Draws the last answer with the current selection and route. */
function render() {
  if (!view.ring) return
  const scene = sceneOf(view.ring, view.selected, view.route, view.chosen)
  view.scene = scene
  drawing.draw(scene)
  player.redraw()
  renderSummary(scene)
  renderSelected(scene)
  faultPanel.render(scene)
  // For the browser test and anyone watching: which answer is on screen.
  byId('ring', SVGSVGElement).dataset.takenAt = view.ring.takenAt
}

function select(/** @type {string | null} */ key, /** @type {boolean} */ toggle) {
  view.selected = toggle && view.selected === key ? null : key
  render()
}

/** Shift-click: a node in or out of the side a partition will cut off. */
function choose(/** @type {string} */ address) {
  if (!view.chosen.delete(address)) view.chosen.add(address)
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

/** The port of the selected node when it answers, for requests sent through it. */
function selectedPort() {
  const n = view.selected && view.ring ? view.ring.nodes.find((m) => nodeKey(m) === view.selected) : undefined
  return n && n.info && !n.error ? n.port : undefined
}

/** One change at a time, with every button that changes the ring disabled meanwhile (the replay's stay). */
async function busy(/** @type {() => Promise<void>} */ work) {
  if (view.busy) return
  view.busy = true
  const buttons = /** @type {NodeListOf<HTMLButtonElement>} */ (document.querySelectorAll('.side button, .faults button'))
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

/** Counts the replays asked for: an answer for one that another has replaced since is dropped. */
let replays = 0

/**
 * Replays an operation: its trace from every node, played from the first message, and asked for
 * again a little later for the entries logged after the reply (the replay keeps its place).
 * @param {string | undefined} traceId
 * @param {string} title
 */
async function replayTrace(traceId, title) {
  if (!traceId) return
  const generation = ++replays
  player.waiting(`${title}: fetching its messages…`)
  try {
    const trace = await api.getTrace(traceId)
    if (generation !== replays) return
    player.load({ title: trace.messages.length > 0 ? title : `${title}: no messages were logged (is MESSAGE_LOG=0?)`, traceId, messages: trace.messages })
    byId('ring', SVGSVGElement).classList.toggle('replaying', trace.messages.length > 0)
  } catch (error) {
    if (generation === replays) player.waiting(`${title}: its trace could not be read (${messageOf(error)})`)
    return
  }
  for (const delay of TRACE_REFETCH_MS) {
    setTimeout(async () => {
      if (generation !== replays) return
      try {
        const later = await api.getTrace(traceId)
        if (generation === replays) player.update(later.messages)
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
  const title = `@${crashed.port} crashed: the repair, ${durationText(windowMs)} of check_predecessor and stabilize around it (${around.map((n) => `@${n.port}`).join(', ') || 'its neighbours'})`
  const generation = ++replays
  player.waiting(`${title}… (watching)`)
  byId('ring', SVGSVGElement).classList.remove('replaying')
  setTimeout(async () => {
    if (generation !== replays) return
    try {
      const traffic = await api.getMessages({ since: repair.since, until: repair.until, tasks: REPAIR_TASKS, involving: repair.nodes.map(addressOf) })
      if (generation === replays) player.load({ title, traceId: null, messages: traffic.messages })
    } catch (error) {
      if (generation === replays) player.waiting(`${title}: the messages could not be read (${messageOf(error)})`)
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
      setResult('kv-result', `${op === 'store' ? 'stored' : 'found'} ${JSON.stringify(reply.value)} · key ${shortId(reply.key, bits)} on @${reply.node.port} · asked @${reply.entry.port} · ${plural(reply.hops, 'hop')}${reply.route === 'direct' ? ' · straight to the owner' : ''}`, 'ok')
      showRoute(reply)
      replayTrace(reply.traceId, `${op} ${JSON.stringify(reply.value)} through @${reply.entry.port}: ${plural(reply.hops, 'hop')}`)
    } catch (error) {
      setResult('kv-result', `${op} failed: ${messageOf(error)}`, 'error')
    }
  })
})

// A trace from a file (make modelcheck's counterexamples): replayed like any other, until the next action.
byId('replay-file', HTMLInputElement).addEventListener('change', async (event) => {
  const input = /** @type {HTMLInputElement} */ (event.target)
  const file = input.files ? input.files[0] : undefined
  if (!file) return
  replays++
  try {
    player.load(parseTraceFile(await file.text(), file.name))
  } catch (error) {
    player.waiting(messageOf(error))
  }
  input.value = ''
})

byId('clear-route-btn', HTMLButtonElement).addEventListener('click', () => {
  setResult('kv-result', '')
  showRoute(null)
  replays++
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

const faultPanel = createFaultPanel({
  scene: () => view.scene,
  busy,
  refresh: async () => {
    view.ring = await api.getRing()
    render()
  },
  clearChoice: () => {
    view.chosen.clear()
    render()
  },
})

createLiveSwitch(createLiveTraffic(layer('traffic')), ringGeometry)

document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && view.selected && !(event.target instanceof HTMLInputElement)) select(null, false)
})

poll()
