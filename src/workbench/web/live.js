// @ts-check
// The maintenance switch: while it is on, the ring's stabilize, check_predecessor and fix_fingers
// messages are asked for every second (/api/messages?all=1) and handed to the live layer (traffic.js)
// as they come, with a count per task. The polls overlap, so a message logged late (a node logs a
// message once its answer is in) is not missed, and the span ids already drawn are skipped.
import * as api from './api.js'
import { byId } from './dom.js'

/** How often the live maintenance traffic is asked for. */
const LIVE_POLL_MS = 1000
/** Span ids already drawn are remembered this long (longer than the polls overlap). */
const LIVE_MEMORY_MS = 15_000

/**
 * Binds #live-switch.
 * @param {ReturnType<typeof import('./traffic.js').createLiveTraffic>} traffic the live layer
 * @param {() => import('./traffic.js').RingPlaces | null} geometry the ring as drawn now
 */
export function createLiveSwitch(traffic, geometry) {
  const box = byId('live', HTMLElement)
  const rate = byId('live-rate', HTMLElement)
  let on = false
  /** @type {number | undefined} the server's clock at the last answer */
  let since
  /** @type {Map<string, number>} span id → when it was drawn */
  const drawn = new Map()
  let count = 0
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer

  async function poll() {
    timer = undefined
    if (!on) return
    try {
      // From a second before the last answer; the first poll takes the server's last second.
      const reply = await api.getMessages({ ...(since === undefined ? {} : { since: since - LIVE_POLL_MS }), all: true })
      const g = geometry()
      if (!on || !g) return
      const fresh = reply.messages.filter((m) => m.task && !drawn.has(m.spanId))
      const now = performance.now()
      for (const m of fresh) drawn.set(m.spanId, now)
      for (const [span, at] of drawn) if (now - at > LIVE_MEMORY_MS) drawn.delete(span)
      since = reply.now
      traffic.add(fresh, g)
      count += fresh.length
      box.dataset.count = String(count)
      /** @type {Map<string, number>} */
      const byTask = new Map()
      for (const m of fresh) byTask.set(m.task ?? '', (byTask.get(m.task ?? '') ?? 0) + 1)
      rate.textContent = `last second: ${[...byTask].map(([task, n]) => `${n} ${task}`).join(', ') || 'no messages'}`
    } catch (error) {
      rate.textContent = `cannot read the messages: ${error instanceof Error ? error.message : String(error)}`
    } finally {
      if (on) timer = setTimeout(poll, LIVE_POLL_MS)
    }
  }

  byId('live-switch', HTMLInputElement).addEventListener('change', (event) => {
    on = event.target instanceof HTMLInputElement && event.target.checked
    box.classList.toggle('on', on)
    if (timer) clearTimeout(timer)
    timer = undefined
    if (on) {
      since = undefined
      poll()
    } else {
      traffic.clear()
      rate.textContent = ''
    }
  })
}
