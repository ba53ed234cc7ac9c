// @ts-check
// The Break it card: slow the selected node (or a random one), lose a share of every node's calls, cut
// the side chosen (shift-click, or the selected node) off from the rest of the ring, heal; each made
// through the API (api.js), its answer on the card's result line, then a fresh picture of the ring.
import * as api from './api.js'
import { byId } from './dom.js'
import { chosenSide } from './faults.js'
import { messageOf } from './format.js'
import { setResult } from './panels.js'

/** @typedef {import('./scene.js').Scene} Scene */
/** @typedef {import('./api.js').FaultReply} FaultReply */

/**
 * @param {{
 *   scene: () => Scene | null,
 *   busy: (work: () => Promise<void>) => Promise<void>,
 *   refresh: () => Promise<void>,
 *   clearChoice: () => void,
 * }} page the page's current frame, its one-change-at-a-time guard, a fresh poll, and emptying the side chosen
 */
export function createFaultPanel(page) {
  /** One action: its answer (red when some node failed), then the ring as it is now. */
  const run = (/** @type {string} */ label, /** @type {() => Promise<FaultReply>} */ request, /** @type {() => void} */ after = () => {}) =>
    page.busy(async () => {
      setResult('fault-result', `${label}…`)
      try {
        const reply = await request()
        setResult('fault-result', reply.summary, reply.failed.length > 0 ? 'error' : 'ok')
        after()
        await page.refresh()
      } catch (error) {
        setResult('fault-result', `${label} failed: ${messageOf(error)}`, 'error')
      }
    })

  /** The selected node when it is one of the ring's processes (the server slows only those), by port. */
  const selectedProcess = () => {
    const scene = page.scene()
    const n = scene && scene.selected ? scene.byKey.get(scene.selected) : undefined
    return n && n.recorded ? n.port : undefined
  }
  const side = () => {
    const scene = page.scene()
    return scene ? chosenSide(scene.nodes, scene.chosen, scene.selected) : []
  }

  byId('slow-form', HTMLFormElement).addEventListener('submit', (event) => {
    event.preventDefault()
    const port = selectedProcess()
    const ms = byId('slow-ms', HTMLInputElement).valueAsNumber
    run(port ? `slowing @${port}` : 'slowing a random node', () => api.slowNode(port, ms))
  })
  byId('drop-form', HTMLFormElement).addEventListener('submit', (event) => {
    event.preventDefault()
    const percent = byId('drop-percent', HTMLInputElement).valueAsNumber
    // The server checks the range: out of it (or not a number), its answer says what is allowed.
    run('losing calls', () => api.dropCalls(percent / 100))
  })
  byId('partition-btn', HTMLButtonElement).addEventListener('click', () => {
    const chosen = side()
    if (chosen.length === 0) {
      setResult('fault-result', 'choose the nodes of one side first: shift-click them (or Shift+Enter), or select one', 'error')
      return
    }
    run(`cutting ${chosen.length === 1 ? 'one node' : `${chosen.length} nodes`} off`, () => api.partitionRing(chosen), page.clearChoice)
  })
  byId('side-clear-btn', HTMLButtonElement).addEventListener('click', () => page.clearChoice())
  byId('heal-btn', HTMLButtonElement).addEventListener('click', () => run('healing', api.healRing))

  return {
    /** The buttons named after what they act on, and the side chosen so far. */
    render(/** @type {Scene} */ scene) {
      const port = selectedProcess()
      const slow = byId('slow-btn', HTMLButtonElement)
      slow.textContent = port ? `Slow @${port}` : 'Slow (random node)'
      const chosen = chosenSide(scene.nodes, scene.chosen, scene.selected)
      const names = chosen.map((address) => `@${scene.nodes.find((n) => n.address === address)?.port ?? address}`).join(' ')
      byId('partition-btn', HTMLButtonElement).textContent = chosen.length > 0 ? `Cut off ${names}` : 'Cut these off'
      const how = scene.nodes.some((n) => scene.chosen.has(n.address)) ? 'chosen' : 'the selected node'
      byId('side-list', HTMLElement).textContent = chosen.length > 0 ? `side: ${names} (${how}); the rest of the ring is the other side` : 'side: none chosen'
    },
  }
}
