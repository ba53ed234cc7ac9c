// make web: the page in a real (headless) Chromium against a private six-node ring. It must draw
// exactly the ring's nodes with labels apart, draw a lookup's route and replay its trace message by
// message as the slider steps back and forth, show the maintenance traffic live, follow the ring as it
// changes, and leave a screenshot (in a temp folder, or in $SCREENSHOT_DIR: `SCREENSHOT_DIR=bench`
// refreshes the README's picture). The browser is the one scripts/install-browser.sh finds (Chromium or
// Chrome where they usually live, or CHROMIUM_PATH); without one this fails, saying what to install.
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import { sequenceSvg } from '../../src/workbench/render/sequence-svg.js'
import { sequenceDiagram } from '../../src/workbench/terminal/sequence-diagram.js'
import { startWebServer, type WebServer } from '../../src/workbench/web/server.js'
import { startTestnet, type Testnet } from '../helpers/testnet.js'
import { joinTrace } from '../unit/trace-fixtures.js'
import { READ_PAGE_DIAGRAM, readSvg, readTerminal, type ReadDiagram } from './diagram-readers.js'

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
const ROOT = findRoot()

/** The project folder (the one with package.json), from test/web or dist/test/web. */
function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 6; i++, dir = path.dirname(dir)) if (fs.existsSync(path.join(dir, 'package.json'))) return dir
  throw new Error('package.json not found above the test')
}

/** The browser make test uses: one lookup, in scripts/install-browser.sh, for the script and this test. */
function browserPath(): string {
  try {
    return execFileSync('bash', [path.join(ROOT, 'scripts', 'install-browser.sh'), '--print'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim()
  } catch (error) {
    const said = String((error as { stderr?: unknown }).stderr ?? '').trim()
    assert.fail(`the web test needs headless Chromium or Chrome: ${said || (error as Error).message}`)
  }
}

async function launch(t: TestContext): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: browserPath(), headless: true, args: CHROMIUM_ARGS, timeout: 30_000 })
  t.after(() => browser.close())
  return browser
}

/** The page in a new browser, and the script errors and CSP violations it reports (the tests expect none). */
async function openPage(t: TestContext, web: WebServer): Promise<{ page: Page; pageErrors: string[] }> {
  const browser = await launch(t)
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
  const pageErrors: string[] = []
  page.on('pageerror', (error) => pageErrors.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text())
  })
  await page.goto(web.url)
  return { page, pageErrors }
}

async function serve(t: TestContext, net: Testnet): Promise<WebServer> {
  const web = await startWebServer({ stateDir: net.dir, port: 0 })
  t.after(() => web.close())
  return web
}

async function api(web: WebServer, method: string, route: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(new URL(route, web.url), {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  })
  assert.match(response.headers.get('content-type') ?? '', /application\/json/, `${method} ${route} answers JSON`)
  return { status: response.status, json: (await response.json()) as Record<string, unknown> }
}

interface RingView {
  bits: number
  healthy: boolean
  problems: string[]
  keyCount: number
  keys: Array<{ key: string; owner: number | null }>
  nodes: Array<{
    port: number
    id: string
    error: string | null
    owned: number
    info: { fingers: Array<{ index: number; node: { port: number } }> } | null
    faults: { text: string; side: string | null; slowMs: number; dropRate: number; cutOff: number } | null
  }>
}

test('make web: the page draws the 6-node ring, a lookup’s route and its replay stepped back and forth, maintenance live, follows the ring, and a screenshot', async (t) => {
  const net = await startTestnet(t, { nodes: 6 })
  const value = `web test value ${Math.random().toString(36).slice(2, 8)}`
  const stored = await net.client.store(net.processes()[0]!, value)
  for (let i = 0; i < 15; i++) await net.client.store(net.processes()[i % 6]!, `web filler #${i}`)
  assert.deepEqual(await net.settle(), [])
  const web = await serve(t, net)
  assert.match(web.url, /^http:\/\/127\.0\.0\.1:\d+\/$/)

  // The API first: the snapshot the page draws, with fingers, keys and health.
  const ring = await api(web, 'GET', '/api/ring')
  assert.equal(ring.status, 200)
  const view = ring.json as unknown as RingView
  assert.equal(view.nodes.length, 6)
  assert.equal(view.healthy, true, view.problems.join('; '))
  assert.equal(view.keyCount, 16)
  assert.ok(view.nodes.every((n) => n.info !== null && n.info.fingers.length > 0), 'every node has its finger table')
  assert.equal(view.nodes.reduce((sum, n) => sum + n.owned, 0), 16, 'every key owned exactly once')
  assert.ok(view.keys.some((k) => k.key === stored.key && k.owner === stored.node.port), 'the stored key is listed with its owner')

  const { page, pageErrors } = await openPage(t, web)
  // Locators and page.evaluate, not waitForFunction with a string: that evals in the page, which its CSP forbids.
  await page.locator('svg .node').nth(5).waitFor({ timeout: 10_000 })
  const nodes = page.locator('svg .node')
  assert.equal(await nodes.count(), 6, 'exactly one circle per node')
  const drawnPorts = (await nodes.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-port'))))).sort()
  assert.deepEqual(drawnPorts, net.processes().map((p) => p.port).sort(), 'the circles are the ring’s nodes')
  assert.equal(await page.locator('svg .node.dead').count(), 0, 'no node drawn dead')
  assert.equal(await page.locator('svg .key').count(), 16, 'one dot per key')
  await assertLabelsApart(page, 6)
  await assertCirclesApart(page)

  // Keyboard: Tab reaches a node, Enter selects it and draws its finger table as chords.
  const first = nodes.first()
  await first.focus()
  await page.keyboard.press('Enter')
  await page.waitForSelector('svg .node.selected')
  assert.equal(await first.getAttribute('aria-pressed'), 'true')
  assert.ok((await page.locator('svg .finger').count()) > 0, 'the selected node’s fingers are drawn')
  assert.match((await page.locator('#selected').textContent()) ?? '', /Finger table/)
  await page.keyboard.press('Escape')
  await page.locator('svg .node.selected').waitFor({ state: 'detached' })

  // A lookup from the form, asked at the node from which it takes the most hops (the owner's
  // successor takes at least one: it has to go round the ring), so the replay has a route to show.
  const owner = view.nodes.findIndex((n) => n.port === stored.node.port)
  assert.ok(owner >= 0, 'the owner is on the ring')
  const hopsFrom = await Promise.all(net.processes().map(async (p) => ({ port: p.port, hops: (await net.client.lookup(p, value)).hops })))
  const entryPort = hopsFrom.reduce((best, h) => (h.hops > best.hops ? h : best), { port: view.nodes[(owner + 1) % view.nodes.length]!.port, hops: 1 }).port
  // Select with the keyboard: two nodes with close ids can overlap on the circle and catch a mouse click.
  await page.locator(`svg .node[data-port="${entryPort}"]`).focus()
  await page.keyboard.press('Enter')
  await page.waitForSelector(`svg .node.selected[data-port="${entryPort}"]`)
  await page.fill('#kv-value', value)
  const [reply] = await Promise.all([page.waitForResponse((r) => r.url().includes('/api/lookup')), page.click('#lookup-btn')])
  assert.equal(reply.status(), 200)
  const found = (await reply.json()) as { value: string; key: string; hops: number; path: Array<{ port: number }>; entry: { port: number }; traceId: string }
  assert.match(found.traceId, /^[0-9a-f]{32}$/, 'the lookup answers with its trace id')
  assert.equal(found.value, value)
  assert.equal(found.key, stored.key)
  assert.equal(found.entry.port, entryPort, 'asked through the selected node')
  assert.ok(found.hops >= 1, 'not from the owner: at least one hop')
  assert.equal(found.path.length, found.hops + 1, 'the path lists the node asked and every hop')
  const route = page.locator('#route')
  await route.waitFor({ state: 'attached', timeout: 5000 })
  assert.equal(await route.getAttribute('data-hops'), String(found.hops), '#route data-hops matches the API')
  assert.equal(await route.getAttribute('data-key'), stored.key)
  const badges = await page.locator('svg .hop-badge').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-port'))))
  assert.deepEqual(badges, found.path.map((p) => p.port), 'one numbered badge per node on the path, in order')
  assert.equal(await page.locator('#route-list li').count(), found.hops + 1)
  assert.match((await page.locator('#kv-result').textContent()) ?? '', new RegExp(`found .* ${found.hops} hops?`))
  // The same lookup from the same node, asked directly: the same number of hops.
  const direct = await net.client.lookup(net.processes().find((p) => p.port === entryPort)!, value)
  assert.equal(direct.hops, found.hops, 'the page shows the route the nodes take')

  // The lookup is replayed from its trace: the sequence diagram and the dot on the ring, step by step.
  const trace = await replayedTrace(page, web, found.traceId)
  t.diagnostic(`the lookup's trace: ${trace.messages.map((m) => `${name(m.from)} → ${name(m.to)} ${m.method} ${m.path} ${m.status}`).join('; ')}`)
  // What the nodes logged: the page's request to the node asked first, then the route's hops, all of it under one trace.
  assert.deepEqual([name(trace.messages[0]!.from), name(trace.messages[0]!.to), trace.messages[0]!.path], ['client', `@${entryPort}`, '/lookup'])
  assert.deepEqual(trace.lanes.slice(0, 2).map(name), ['client', `@${entryPort}`])
  for (const p of found.path) assert.ok(trace.lanes.some((l) => l?.port === p.port), `the route's @${p.port} has a lane`)
  assert.ok(trace.messages.length >= found.hops + 1, 'a message to the node asked and at least one per hop')
  await stepThroughReplay(page, trace)

  // The node asked stays selected, so the screenshot shows its fingers beside the route and the replay
  // stopped on a message in the middle of the lookup.
  assert.equal(await page.locator('svg .node.selected').getAttribute('data-port'), String(entryPort))
  const middle = Math.floor((trace.messages.length - 1) / 2)
  await page.locator('#replay-slider').focus()
  await page.keyboard.press('Home')
  for (let i = 0; i < middle; i++) await page.keyboard.press('ArrowRight')
  await page.locator(`#replay[data-step="${middle}"][data-state="paused"]`).waitFor()
  await page.evaluate('Promise.all(document.getAnimations().map((a) => a.finished)).then(() => true)')
  const shot = path.join(process.env.SCREENSHOT_DIR ? path.resolve(ROOT, process.env.SCREENSHOT_DIR) : fs.mkdtempSync(path.join(os.tmpdir(), 'chord-web-')), 'web-screenshot.png')
  fs.mkdirSync(path.dirname(shot), { recursive: true })
  await page.screenshot({ path: shot, fullPage: true })
  t.diagnostic(`screenshot: ${shot}`)

  // The maintenance switch (keyboard: Space): stabilize, check_predecessor and fix_fingers drawn live
  // as faint chords in their own layer, the replay left where it was.
  const liveSwitch = page.locator('#live-switch')
  await liveSwitch.focus()
  await page.keyboard.press('Space')
  assert.equal(await liveSwitch.isChecked(), true)
  await page.locator('#layer-traffic path.traffic').first().waitFor({ state: 'attached', timeout: 10_000 })
  const tasks = new Set(await page.locator('#layer-traffic path.traffic').evaluateAll((els) => els.map((e) => e.getAttribute('data-task'))))
  assert.ok(tasks.size > 0 && [...tasks].every((task) => task === 'stabilize' || task === 'check_predecessor' || task === 'fix_fingers'), `only maintenance is drawn live: ${[...tasks].join(', ')}`)
  assert.match((await page.locator('#live-rate').textContent()) ?? '', /last second: \d+ (stabilize|check_predecessor|fix_fingers)/)
  assert.deepEqual(
    [await page.locator('#replay').getAttribute('data-step'), await page.locator('#replay').getAttribute('data-state'), await page.locator('#layer-replay .replay-chord.current').getAttribute('data-step')],
    [String(middle), 'paused', String(middle)],
    'the replay is undisturbed',
  )
  await page.keyboard.press('Space')
  assert.equal(await page.locator('#layer-traffic path').count(), 0, 'switched off, the live chords go')

  // The live view follows the ring: a node added behind the page's back appears, with its label, while
  // the route and the selection stay.
  const shown = await page.locator('#ring').getAttribute('data-taken-at')
  const added = await net.add()
  await page.locator(`svg .node[data-port="${added.port}"]`).waitFor({ timeout: 15_000 })
  assert.equal(await nodes.count(), 7, 'one more circle')
  assert.notEqual(await page.locator('#ring').getAttribute('data-taken-at'), shown, 'a newer answer is on screen')
  assert.match((await page.locator('#layer-axis .center-big').textContent()) ?? '', /^7 nodes$/)
  await assertLabelsApart(page, 7)
  await assertCirclesApart(page)
  assert.equal(await page.locator('#route').count(), 1, 'the route stays drawn across refreshes')
  assert.equal(await page.locator('svg .node.selected').getAttribute('data-port'), String(entryPort), 'the selection stays')
  assert.deepEqual(pageErrors, [], 'no script errors or CSP violations on the page')
})

test('make web: the Break it card partitions the ring (the sides coloured apart), heals it, slows a node and loses calls; the summary shows the mode and the faults', async (t) => {
  const net = await startTestnet(t, { nodes: 6 })
  assert.deepEqual(await net.settle(), [])
  const web = await serve(t, net)

  // The API: every node's fault plan comes with the snapshot; no faults yet, the mode beside them.
  const before = (await api(web, 'GET', '/api/ring')).json as unknown as RingView & { routeMode: string; faults: { sides: unknown[]; lines: string[] } }
  assert.equal(before.routeMode, 'fingers')
  assert.deepEqual(before.faults, { sides: [], lines: [] })
  assert.ok(
    before.nodes.every((n) => n.faults?.text === 'no faults' && n.faults.side === null && n.faults.slowMs === 0),
    'every node’s plan is read with the snapshot',
  )

  const { page, pageErrors } = await openPage(t, web)
  await page.locator('svg .node').nth(5).waitFor({ timeout: 10_000 })
  // The mode, in the summary and the status line (issue 15).
  await page.locator('#summary[data-route-mode="fingers"]').waitFor()
  assert.match((await page.locator('#summary').textContent()) ?? '', /routing\s*fingers: through the finger tables/)
  assert.match((await page.locator('#status').textContent()) ?? '', /routing by fingers/)
  assert.equal(await page.locator('#summary-faults').textContent(), 'none')
  assert.equal(await page.locator('svg .node[data-side]').count(), 0, 'no partition, no sides')

  // Choose one side: Shift+Enter on one node, shift-click on another (dispatched on the circle itself:
  // two nodes with close ids can overlap and catch a real click), then Cut off.
  const ports = before.nodes.map((n) => n.port)
  const side = [ports[0]!, ports[3]!]
  await page.locator(`svg .node[data-port="${side[0]}"]`).focus()
  await page.keyboard.press('Shift+Enter')
  await page.locator(`svg .node[data-port="${side[1]}"]`).dispatchEvent('click', { shiftKey: true })
  await page.locator('svg .node[data-chosen="true"]').nth(1).waitFor()
  assert.equal(await page.locator('svg .node.selected').count(), 0, 'choosing a node does not select it')
  assert.equal(await page.locator('#partition-btn').textContent(), `Cut off @${side[0]} @${side[1]}`)
  const [cut] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/partition')), page.click('#partition-btn')])
  assert.equal(cut.status(), 200)
  const cutReply = (await cut.json()) as { summary: string; side: Array<{ port: number }>; rest: Array<{ port: number }>; changed: Array<{ after: { cutOff: number } }> }
  assert.deepEqual(cutReply.side.map((n) => n.port).sort(), [...side].sort(), 'the chosen nodes are the side cut off')
  assert.equal(cutReply.rest.length, 4)
  assert.equal(cutReply.changed.length, 6, 'every node’s plan changed')
  assert.match((await page.locator('#fault-result').textContent()) ?? '', /^partitioned: .* cannot reach each other$/)

  // Every node gets its side, the chosen two one, the other four the other, drawn in two colours.
  await page.locator('svg .node[data-side]').nth(5).waitFor({ timeout: 10_000 })
  const drawn = await page.locator('svg .node').evaluateAll((els) =>
    els.map((e) => {
      // Run in the page, which has the DOM's getComputedStyle (this file's TypeScript has no DOM types).
      const style = (globalThis as unknown as ComputedStyles).getComputedStyle(e)
      return { port: Number(e.getAttribute('data-port')), side: e.getAttribute('data-side'), fill: style.fill, stroke: style.stroke }
    }),
  )
  const sideOf = (port: number) => drawn.find((d) => d.port === port)!
  const cutSide = sideOf(side[0]!).side
  assert.ok(cutSide !== null && sideOf(side[1]!).side === cutSide, 'the chosen nodes share a side')
  const rest = drawn.filter((d) => !side.includes(d.port))
  assert.ok(rest.every((d) => d.side !== null && d.side !== cutSide && d.side === rest[0]!.side), `the rest share the other side: ${JSON.stringify(drawn)}`)
  assert.notEqual(sideOf(side[0]!).fill, rest[0]!.fill, 'the two sides are filled in different colours')
  assert.notEqual(sideOf(side[0]!).stroke, rest[0]!.stroke, 'and outlined in different colours')
  assert.equal(await page.locator('svg .node[data-chosen]').count(), 0, 'the choice is cleared once cut')
  assert.equal(await page.locator('#summary-faults .side-line').count(), 2, 'the summary names both sides')
  assert.match((await page.locator('#status').textContent()) ?? '', /partitioned/)

  // Heal from the page: the colours go.
  const [healed] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/heal')), page.click('#heal-btn')])
  assert.equal(healed.status(), 200)
  assert.match((await page.locator('#fault-result').textContent()) ?? '', /^healed 6 nodes: partition lifted on 6$/)
  await page.locator('svg .node[data-side]').first().waitFor({ state: 'detached', timeout: 10_000 })
  const fills = new Set(await page.locator('svg .node').evaluateAll((els) => els.map((e) => (globalThis as unknown as ComputedStyles).getComputedStyle(e).fill)))
  assert.equal(fills.size, 1, 'one colour for every node again')
  await page.locator('#summary-faults', { hasText: /^none$/ }).waitFor()

  // Slow the selected node: it is ringed, and says so.
  const slowPort = ports[2]!
  await page.locator(`svg .node[data-port="${slowPort}"]`).focus()
  await page.keyboard.press('Enter')
  await page.waitForSelector(`svg .node.selected[data-port="${slowPort}"]`)
  assert.equal(await page.locator('#slow-btn').textContent(), `Slow @${slowPort}`)
  await page.fill('#slow-ms', '300')
  const [slowed] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/slow')), page.click('#slow-btn')])
  assert.equal(slowed.status(), 200)
  await page.locator(`svg .node.slow[data-port="${slowPort}"][data-slow-ms="300"]`).waitFor({ timeout: 10_000 })
  assert.equal(await page.locator(`#layer-faults .slow-ring[data-port="${slowPort}"]`).count(), 1, 'a ring around the slow node')
  assert.equal(await page.locator('#layer-faults .slow-ring').count(), 1, 'around it only')
  assert.match((await page.locator('#summary-faults').textContent()) ?? '', new RegExp(`@${slowPort} slow 300 ms`))
  await page.locator('#selected', { hasText: 'slow 300 ms' }).waitFor()
  assert.match((await page.locator(`svg .node[data-port="${slowPort}"]`).getAttribute('aria-label')) ?? '', /slow 300 ms/)

  // Lose calls on every node: the summary says how many.
  await page.fill('#drop-percent', '5')
  const [dropped] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/drop')), page.click('#drop-btn')])
  assert.equal(dropped.status(), 200)
  await page.locator('#summary-faults', { hasText: '5 % of calls lost on 6 of 6 nodes' }).waitFor({ timeout: 10_000 })

  const [cleared] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/heal')), page.click('#heal-btn')])
  assert.equal(cleared.status(), 200)
  assert.match((await page.locator('#fault-result').textContent()) ?? '', /^healed 6 nodes: drops stopped on 6, slowness ended on 1$/)
  await page.locator('svg .node.slow').first().waitFor({ state: 'detached', timeout: 10_000 })
  await page.locator('#summary-faults', { hasText: /^none$/ }).waitFor()
  assert.deepEqual(await net.settle(), [], 'one healthy ring again')
  assert.deepEqual(pageErrors, [], 'no script errors or CSP violations on the page')
})

/** The page's getComputedStyle, as far as the tests read it. */
interface ComputedStyles {
  getComputedStyle(element: unknown): { fill: string; stroke: string }
}

interface TraceMessage {
  spanId: string
  from: { port: number } | null
  to: { port: number } | null
  method: string
  path: string
  status: number | null
  summary: string
  task?: string
}
interface Trace {
  traceId: string
  messages: TraceMessage[]
  lanes: Array<{ port: number } | null>
}

/** Waits until the page replays the trace, and returns it as /api/trace serves it. */
async function replayedTrace(page: Page, web: WebServer, traceId: string): Promise<Trace> {
  const card = page.locator(`#replay[data-trace="${traceId}"]`)
  await card.waitFor({ timeout: 10_000 })
  const trace = (await api(web, 'GET', `/api/trace?id=${traceId}`)).json as unknown as Trace
  assert.ok(trace.messages.length > 0, 'the trace has messages')
  await page.locator(`#replay[data-trace="${traceId}"][data-count="${trace.messages.length}"]`).waitFor({ timeout: 10_000 })
  return trace
}

const name = (party: { port: number } | null) => (party ? `@${party.port}` : 'client')

/**
 * The replay follows the slider, and the play button, one message at a time: the message shown (its
 * summary, route and parties), the diagram's highlighted row and the dot on the ring change with it,
 * and the dot sits at the receiver of a message stepped to. Every wait is for a condition the page sets.
 */
async function stepThroughReplay(page: Page, trace: Trace): Promise<void> {
  const count = trace.messages.length
  const card = page.locator('#replay')
  assert.equal(await page.locator('#sequence .seq-row').count(), count, 'one row of the diagram per message')
  assert.deepEqual(await page.locator('#sequence-lanes .lane-name').allTextContents(), trace.lanes.map(name), 'one lane per party, in order of appearance')
  assert.equal(await page.locator('#replay-slider').getAttribute('max'), String(count - 1))

  const slider = page.locator('#replay-slider')
  await slider.focus()
  const shows = async (step: number) => {
    await page.locator(`#replay[data-step="${step}"][data-state="${step === count - 1 ? 'ended' : 'paused'}"]`).waitFor({ timeout: 5000 })
    const m = trace.messages[step]!
    assert.equal(await page.locator('#replay-summary').textContent(), m.summary, `step ${step}: its summary`)
    assert.equal(await page.locator('#replay-route').textContent(), `${m.method} ${m.path}`, `step ${step}: its route`)
    assert.equal(await page.locator('#replay-parties').textContent(), `${name(m.from)} → ${name(m.to)}`)
    assert.equal(await page.locator('#replay-position').textContent(), `${step + 1} / ${count}`)
    assert.equal(await slider.inputValue(), String(step))
    assert.deepEqual(await page.locator('#sequence .seq-row.current').evaluateAll((els) => els.map((e) => e.getAttribute('data-step'))), [String(step)], 'the diagram highlights that row only')
    const dot = page.locator('#replay-dot')
    assert.equal(await dot.getAttribute('data-step'), String(step))
    assert.equal(await dot.getAttribute('data-travel'), '1.00', 'a message stepped to is shown arrived')
    assert.equal(await page.locator('#layer-replay .replay-chord.current').getAttribute('data-step'), String(step), 'its chord is the highlighted one')
    const at = { x: Number(await dot.getAttribute('cx')), y: Number(await dot.getAttribute('cy')) }
    if (m.to) {
      const receiver = page.locator(`svg .node[data-port="${m.to.port}"]`)
      const [x, y, r] = await Promise.all(['cx', 'cy', 'r'].map(async (a) => Number(await receiver.getAttribute(a))))
      assert.ok(Math.hypot(at.x - x!, at.y - y!) <= r! + 4, `step ${step}: the dot is at its receiver @${m.to.port}`)
    }
    return at
  }
  await page.keyboard.press('End')
  const last = await shows(count - 1)
  await page.keyboard.press('Home')
  const first = await shows(0)
  if (count > 1) {
    await page.keyboard.press('ArrowRight')
    const second = await shows(1)
    assert.ok(first.x !== second.x || first.y !== second.y || count === 1, 'the dot moved on with the slider')
    await page.keyboard.press('ArrowLeft')
    assert.deepEqual(await shows(0), first, 'and back')
  }
  assert.ok(last !== undefined)
  // Play: the replay goes on by itself from the message shown, to the next.
  // Play and pause: the button, from the message shown; then it plays on by itself to the next message.
  const play = page.locator('#replay-play')
  await play.click()
  await page.locator('#replay[data-state="playing"]').waitFor()
  assert.equal(await play.textContent(), 'Pause')
  await play.click()
  await page.locator('#replay[data-state="paused"]').waitFor()
  assert.equal(await card.getAttribute('data-step'), '0', 'paused where it was')
  if (count > 1) {
    await play.click()
    await page.locator('#replay[data-step="1"]').waitFor({ timeout: 10_000 })
  }
}

/** Polls until `check` returns something (a condition, never a fixed sleep), or fails naming `what`. */
async function poll<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const found = await check()
    if (found !== undefined) return found
    if (Date.now() > deadline) assert.fail(`no ${what} within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** An action's trace from /api/trace, once it has what `complete` wants (a node may log its last steps after the reply). */
async function traceOf(web: WebServer, traceId: unknown, complete: (messages: TraceMessage[]) => boolean): Promise<Trace> {
  assert.match(String(traceId), /^[0-9a-f]{32}$/, 'the action answers with its trace id')
  return poll(async () => {
    const reply = await api(web, 'GET', `/api/trace?id=${String(traceId)}`)
    assert.equal(reply.status, 200)
    const trace = reply.json as unknown as Trace
    return complete(trace.messages) ? trace : undefined
  }, `complete trace ${String(traceId)}`)
}

/** No node's circle (and so no key count in it) lies over another's, however close their ids. */
async function assertCirclesApart(page: Page): Promise<void> {
  const circles = await page.locator('svg .node').evaluateAll((els) => els.map((e) => ({ port: e.getAttribute('data-port'), x: Number(e.getAttribute('cx')), y: Number(e.getAttribute('cy')), r: Number(e.getAttribute('r')) })))
  for (const [i, a] of circles.entries()) {
    for (const b of circles.slice(i + 1)) assert.ok(Math.hypot(a.x - b.x, a.y - b.y) >= a.r + b.r, `the circles of @${a.port} and @${b.port} overlap: ${JSON.stringify([a, b])}`)
  }
}

/** Every node has its label (up to 24 nodes there is room for all), and no two labels overlap as drawn. */
async function assertLabelsApart(page: Page, nodes: number): Promise<void> {
  const labels = page.locator('svg .node-label')
  assert.equal(await labels.count(), nodes, 'one label per node')
  const boxes = await labels.evaluateAll((els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect()
      return { port: e.getAttribute('data-port'), left: r.left, right: r.right, top: r.top, bottom: r.bottom }
    }),
  )
  for (const [i, a] of boxes.entries()) {
    for (const b of boxes.slice(i + 1)) {
      const apart = a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top
      assert.ok(apart, `the labels of @${a.port} and @${b.port} overlap: ${JSON.stringify([a, b])}`)
    }
  }
}

test('make web with VNODES=3: each virtual node is a circle of its own, a process’s drawn in one colour, selected one by one, and the ring counted by process', async (t) => {
  const net = await startTestnet(t, { nodes: 3, vnodes: 3 })
  for (let i = 0; i < 12; i++) await net.client.store(net.processes()[i % 3]!, `vnode web #${i}`)
  assert.deepEqual(await net.settle(), [])
  const web = await serve(t, net)
  const { page, pageErrors } = await openPage(t, web)
  await page.locator('svg .node').nth(8).waitFor({ timeout: 10_000 })
  const circles = await page.locator('svg .node').evaluateAll((els) =>
    els.map((e) => ({ port: Number(e.getAttribute('data-port')), vnode: e.getAttribute('data-vnode'), id: e.getAttribute('data-id'), stroke: (globalThis as unknown as ComputedStyles).getComputedStyle(e).stroke })),
  )
  assert.equal(circles.length, 9, 'one circle per virtual node')
  assert.equal(new Set(circles.map((c) => c.id)).size, 9, 'each its own node')
  const ports = net.processes().map((p) => p.port)
  for (const port of ports) {
    const mine = circles.filter((c) => c.port === port)
    assert.deepEqual(mine.map((c) => c.vnode).sort(), ['0', '1', '2'], `@${port}'s three virtual nodes`)
    assert.equal(new Set(mine.map((c) => c.stroke)).size, 1, `@${port}'s nodes drawn in one colour`)
  }
  assert.equal(new Set(circles.map((c) => c.stroke)).size, 3, 'the processes drawn in three colours')
  assert.equal(await page.locator('#layer-axis .center-big').textContent(), '9 virtual nodes')
  assert.match((await page.locator('#summary').textContent()) ?? '', /processes\s*3/)
  await assertCirclesApart(page)

  // A process's virtual nodes are selected one by one: their own pointers and finger table.
  const vnode = page.locator(`svg .node[data-port="${ports[1]}"][data-vnode="2"]`)
  await vnode.focus()
  await page.keyboard.press('Enter')
  await page.waitForSelector(`svg .node.selected[data-port="${ports[1]}"][data-vnode="2"]`)
  assert.equal(await page.locator('svg .node.selected').count(), 1, 'only the virtual node chosen is selected')
  await page.locator('#selected', { hasText: /virtual node\s*#2 of its process's 3/ }).waitFor()
  assert.ok((await page.locator('svg .finger').count()) > 0, 'its fingers are drawn')
  assert.deepEqual(pageErrors, [])
})

test('make web: the API answers every error as JSON; store, add, leave are traced, a crash points at its repair; the ring changes', async (t) => {
  const net = await startTestnet(t, { nodes: 3 })
  const web = await serve(t, net)

  const refused = async (method: string, route: string, body: unknown, status: number, code: string, headers?: Record<string, string>) => {
    const reply = await api(web, method, route, body, headers)
    assert.equal(reply.status, status, `${method} ${route}: ${JSON.stringify(reply.json)}`)
    assert.equal(reply.json.code, code, `${method} ${route}: code`)
    assert.ok(typeof reply.json.error === 'string' && reply.json.error.length > 0, `${method} ${route}: a message`)
    return reply
  }
  await refused('GET', '/api/nope', undefined, 404, 'UNKNOWN_ROUTE')
  await refused('DELETE', '/api/ring', undefined, 405, 'METHOD_NOT_ALLOWED')
  const absent = await refused('GET', '/api/lookup?value=never%20stored', undefined, 404, 'NOT_FOUND')
  assert.match(String(absent.json.error), /not stored/)
  await refused('GET', '/api/lookup', undefined, 400, 'BAD_REQUEST')
  await refused('GET', '/api/lookup?value=', undefined, 400, 'BAD_REQUEST')
  await refused('POST', '/api/store', '{not json', 400, 'BAD_REQUEST')
  await refused('POST', '/api/store', { value: 42 }, 400, 'BAD_REQUEST')
  await refused('POST', '/api/store', [1, 2], 400, 'BAD_REQUEST')
  await refused('POST', '/api/store', JSON.stringify({ value: 'x'.repeat(300 * 1024) }), 413, 'PAYLOAD_TOO_LARGE')
  await refused('POST', '/api/leave', { port: 'x' }, 400, 'BAD_REQUEST')
  await refused('POST', '/api/crash', { port: 1 }, 404, 'NOT_FOUND')
  // The fault actions refuse what make slow, drop and partition refuse, naming the field.
  await refused('POST', '/api/slow', { port: 'x' }, 400, 'BAD_REQUEST')
  await refused('POST', '/api/slow', { port: 1 }, 404, 'NOT_FOUND')
  await refused('POST', '/api/slow', { ms: -1 }, 400, 'BAD_REQUEST')
  await refused('POST', '/api/slow', { ms: 60_001 }, 400, 'BAD_REQUEST')
  await refused('POST', '/api/drop', {}, 400, 'BAD_REQUEST')
  await refused('POST', '/api/drop', { rate: 1.5 }, 400, 'BAD_REQUEST')
  await refused('POST', '/api/drop', { rate: -0.1 }, 400, 'BAD_REQUEST')
  await refused('POST', '/api/drop', { rate: '0.1' }, 400, 'BAD_REQUEST')
  await refused('POST', '/api/partition', {}, 400, 'BAD_REQUEST')
  await refused('POST', '/api/partition', { ports: ['5001,5002'] }, 400, 'BAD_REQUEST')
  const empty = await refused('POST', '/api/partition', { ports: [] }, 400, 'BAD_REQUEST')
  assert.match(String(empty.json.error), /this side is empty/)
  const stranger = await refused('POST', '/api/partition', { ports: [1] }, 400, 'BAD_REQUEST')
  assert.match(String(stranger.json.error), /1 is not a node of the ring/)
  const whole = await refused('POST', '/api/partition', { ports: net.processes().map((p) => p.port) }, 400, 'BAD_REQUEST')
  assert.match(String(whole.json.error), /at least one node on each side/)
  await refused('GET', '/api/heal', undefined, 405, 'METHOD_NOT_ALLOWED')
  await refused('POST', '/api/heal', {}, 403, 'FORBIDDEN', { origin: 'http://evil.example' })
  const nothing = await api(web, 'POST', '/api/heal', {})
  assert.equal(nothing.status, 200)
  assert.equal(nothing.json.summary, 'nothing to heal: no faults on any of the 3 nodes', 'the refusals changed no node')
  await refused('GET', '/api/trace', undefined, 400, 'BAD_REQUEST')
  await refused('GET', `/api/trace?id=${'0'.repeat(32)}`, undefined, 400, 'BAD_REQUEST')
  await refused('GET', `/api/trace?id=${'A'.repeat(32)}`, undefined, 400, 'BAD_REQUEST')
  await refused('GET', '/api/messages?since=yesterday', undefined, 400, 'BAD_REQUEST')
  await refused('GET', '/api/messages?since=-5', undefined, 400, 'BAD_REQUEST')
  await refused('GET', `/api/messages?involving=${Array.from({ length: 65 }, (_, i) => `h:${i}`).join(',')}`, undefined, 400, 'BAD_REQUEST')
  // Only this page may change the ring: no cross-site POSTs, no other Host names.
  await refused('POST', '/api/add', {}, 403, 'FORBIDDEN', { origin: 'http://evil.example' })
  const form = await fetch(new URL('/api/crash', web.url), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'port=1' })
  assert.equal(form.status, 415)
  assert.equal(((await form.json()) as { code: string }).code, 'UNSUPPORTED_MEDIA_TYPE')
  // The page's modules are served as JavaScript under the page's Content-Security-Policy.
  const module = await fetch(new URL('/main.js', web.url))
  assert.equal(module.status, 200)
  assert.match(module.headers.get('content-type') ?? '', /^text\/javascript/)
  assert.match(module.headers.get('content-security-policy') ?? '', /script-src 'self'/)
  assert.equal((await fetch(new URL('/server.ts', web.url))).status, 404, 'only the page is served, not the server’s sources')

  // Reading the ring never waits for the state file's lock, even while another tool holds it.
  const lock = path.join(net.dir, 'network.lock')
  fs.writeFileSync(lock, String(process.pid), { flag: 'wx' })
  try {
    assert.equal((await api(web, 'GET', '/api/ring')).status, 200)
  } finally {
    fs.rmSync(lock, { force: true })
  }

  // Every action answers with its trace, which /api/trace gathers from the nodes.
  const stored = await api(web, 'POST', '/api/store', { value: 'through the web' })
  assert.equal(stored.status, 200)
  assert.equal(stored.json.hops, (stored.json.path as unknown[]).length - 1)
  const storeTrace = await traceOf(web, stored.json.traceId, (m) => m.some((x) => /^insert /.test(x.summary)))
  // No node chosen: the store goes straight to its key's owner, which copies it to its predecessors.
  assert.equal(stored.json.route, 'direct')
  assert.deepEqual([name(storeTrace.messages[0]!.from), storeTrace.messages[0]!.method, storeTrace.messages[0]!.path], ['client', 'POST', '/value'])
  assert.equal(storeTrace.messages[0]!.to?.port, (stored.json.node as { port: number }).port, 'asked at the owner')

  const added = await api(web, 'POST', '/api/add', {})
  assert.equal(added.status, 200, JSON.stringify(added.json))
  assert.equal(net.processes().length, 4)
  // The new node joined inside the trace: its JOIN, then the rewiring PUTs.
  const joiner = (added.json.added as { port: number }).port
  const joinTrace = await traceOf(web, added.json.traceId, (m) => ['/predecessor', '/successor'].every((route) => m.some((x) => x.method === 'PUT' && x.path === route)))
  const join = joinTrace.messages.findIndex((m) => m.method === 'POST' && m.path === '/join' && m.from?.port === joiner)
  assert.ok(join >= 0, `the joiner's POST /join: ${joinTrace.messages.map((m) => `${m.method} ${m.path}`).join(', ')}`)
  assert.ok(joinTrace.messages.findIndex((m) => m.method === 'PUT') > join, 'the PUTs after the JOIN')

  const victim = net.processes()[0]!
  const left = await api(web, 'POST', '/api/leave', { port: victim.port })
  assert.equal(left.status, 200, JSON.stringify(left.json))
  assert.ok(!net.processes().some((p) => p.port === victim.port), 'the node that left is gone from the state')
  // The leaver's log went with it, but its answer brought its messages back: the LEAVE and the handoff.
  const leaveTrace = await traceOf(web, left.json.traceId, (m) => m.some((x) => x.from?.port === victim.port))
  assert.deepEqual([name(leaveTrace.messages[0]!.from), name(leaveTrace.messages[0]!.to), leaveTrace.messages[0]!.path], ['client', `@${victim.port}`, '/leave'])
  assert.ok(leaveTrace.messages.some((m) => m.from?.port === victim.port && m.to !== null), 'the leaver’s own messages to the ring are in the trace')

  const crashed = await api(web, 'POST', '/api/crash', {})
  assert.equal(crashed.status, 200, JSON.stringify(crashed.json))
  // A crash has no message to trace: it answers where to look for the repair instead.
  const victimPort = (crashed.json.crashed as { port: number }).port
  const repair = crashed.json.repair as { since: number; until: number; nodes: Array<{ port: number }> }
  assert.ok(repair.until - repair.since >= 3000, 'a few seconds of repair')
  assert.equal(repair.nodes[0]!.port, victimPort, 'the crashed node first')
  assert.ok(repair.nodes.length >= 2 && repair.nodes.slice(1).every((n) => n.port !== victimPort), 'then its neighbours')
  // The repair: maintenance messages involving the crashed node or its neighbours, seen as they come.
  const involving = repair.nodes.map((n) => `127.0.0.1:${n.port}`).join(',')
  const seen = await poll(async () => {
    const reply = await api(web, 'GET', `/api/messages?since=${repair.since}&until=${repair.until}&task=check_predecessor,stabilize&involving=${involving}`)
    const messages = reply.json.messages as TraceMessage[]
    return messages.some((m) => m.to?.port === victimPort) ? messages : undefined
  }, 'a check_predecessor or stabilize message to the crashed node')
  assert.ok(seen.every((m) => repair.nodes.some((n) => n.port === m.from?.port || n.port === m.to?.port)), 'only messages involving them')
  assert.ok(seen.every((m) => m.task === 'check_predecessor' || m.task === 'stabilize'), 'only those tasks')
  const clientOnly = await api(web, 'GET', `/api/messages?since=${repair.since}&until=${repair.until}`)
  assert.ok((clientOnly.json.messages as TraceMessage[]).every((m) => m.task === undefined), 'without all=1, no maintenance')
  assert.equal(net.processes().length, 2)
  assert.deepEqual(await net.settle(), [], 'the ring heals after the leave and the crash')
  const found = await api(web, 'GET', `/api/lookup?value=${encodeURIComponent('through the web')}`)
  assert.equal(found.status, 200, 'the value survives a leave and a crash')
})

test('one trace, three renderings: the terminal, the SVG file and the page draw the same lanes, arrows, labels and summaries', async (t) => {
  // A join in a ring of 16: a folded broadcast, arrows both ways, hidden maintenance; then with it.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chord-render-'))
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }))
  // No ring is needed to draw a trace: the page is served all the same.
  const web = await startWebServer({ stateDir: dir, port: 0 })
  t.after(() => web.close())
  const rendered = await fetch(new URL('/render/sequence-layout.js', web.url))
  assert.equal(rendered.status, 200, 'the render modules are served to the page')
  assert.match(rendered.headers.get('content-type') ?? '', /^text\/javascript/)
  assert.match(rendered.headers.get('content-security-policy') ?? '', /script-src 'self'/)
  const { page, pageErrors } = await openPage(t, web)
  for (const maintenance of [false, true]) {
    const messages = joinTrace()
    const terminal = readTerminal(sequenceDiagram(messages, { width: 400, palette: { bold: String, dim: String, red: String, green: String, cyan: String }, maintenance }))
    const svg = readSvg(sequenceSvg(messages, { maintenance }))
    const browser = (await page.evaluate(`(${READ_PAGE_DIAGRAM})(${JSON.stringify(messages)}, ${maintenance})`)) as ReadDiagram
    assert.equal(terminal.rows.length, maintenance ? 23 : 15)
    assert.deepEqual(terminal.lanes.slice(-1), ['everyone'])
    assert.ok(terminal.rows.some((r) => r.from === '@5013' && r.to === '@5016'), 'an arrow pointing left')
    assert.deepEqual(svg, terminal, `the SVG file draws what the terminal draws (maintenance: ${maintenance})`)
    assert.deepEqual(browser, terminal, `the page draws what the terminal draws (maintenance: ${maintenance})`)
  }
  assert.deepEqual(pageErrors.filter((e) => /Content Security Policy|SyntaxError|TypeError|import/i.test(e)), [], 'the page loaded its modules and the render modules under its CSP')
})

test('make web: WEB_PORT=0 prints the URL and stops on Ctrl-C; a busy port is refused with exit 1', async (t) => {
  const net = await startTestnet(t, { nodes: 2 })
  const script = path.join(ROOT, 'dist', 'scripts', 'web.js')
  const child = spawn(process.execPath, [script], { env: { ...process.env, DHT_STATE_DIR: net.dir, WEB_PORT: '0', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] })
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  let output = ''
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed within 10 s:\n${output}`)), 10_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(match[0])
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.on('exit', (code) => reject(new Error(`make web exited early (${code}):\n${output}`)))
  })
  const page = await fetch(url)
  assert.equal(page.status, 200)
  assert.match(await page.text(), /<svg id="ring"/)
  assert.equal(((await (await fetch(new URL('/api/ring', url))).json()) as RingView).nodes.length, 2)

  // The same port again: taken, so the second server says so and exits 1.
  const port = new URL(url).port
  const busy = await net.runScript('web', { WEB_PORT: port })
  assert.equal(busy.code, 1, busy.stdout + busy.stderr)
  assert.match(busy.stderr, new RegExp(`port ${port} .*in use`))

  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  child.kill('SIGINT')
  assert.equal(await exited, 0, 'Ctrl-C stops the server cleanly')
})
