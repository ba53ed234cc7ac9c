// make web opens a trace file: a counterexample of make modelcheck, picked in the replay card's file
// input, is replayed there row by row, its maintenance rounds included (they are most of it), in a real
// headless Chromium, with no ring running. The browser is the one scripts/install-browser.sh finds.
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { sequenceLayout } from '../../src/workbench/render/sequence-layout.js'
import { counterexampleJson, materialize, worldOptions, writeCounterexample, type CounterexampleFile } from '../../src/workbench/modelcheck/counterexample.js'
import { search } from '../../src/workbench/modelcheck/search.js'
import { CONVERGE_ROUNDS, shrink } from '../../src/workbench/modelcheck/shrink.js'
import { startWebServer } from '../../src/workbench/web/server.js'

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

function browserPath(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir)
  return execFileSync('bash', [path.join(dir, 'scripts', 'install-browser.sh'), '--print'], { encoding: 'utf8' }).trim()
}

/** The published protocol's failure after a notify, as make modelcheck VARIANT=sigcomm SCENARIO=join-crash writes it. */
async function counterexampleFile(t: TestContext): Promise<{ file: string; rows: number }> {
  const settings = { variant: 'sigcomm', scenario: 'join-crash', nodes: 3, replicas: 1, loss: false } as const
  const result = await search({ world: worldOptions(settings), depth: 11, maxStates: 100_000, convergeRounds: CONVERGE_ROUNDS })
  assert.ok(result.counterexample)
  const full: CounterexampleFile = { ...settings, counterexample: await shrink(worldOptions(settings), result.counterexample) }
  const { world, finding } = await materialize(full)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelcheck-web-'))
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }))
  const file = path.join(dir, 'counterexample.json')
  const json = counterexampleJson(full, world, finding!)
  writeCounterexample(file, json)
  const messages = (json as unknown as { messages: Parameters<typeof sequenceLayout>[0] }).messages
  return { file, rows: sequenceLayout(messages, { maintenance: true }).rows.length }
}

test('make web: the replay opens a counterexample file and plays it row by row, maintenance rounds included', async (t) => {
  const { file, rows } = await counterexampleFile(t)
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelcheck-web-state-'))
  t.after(() => fs.rmSync(stateDir, { recursive: true, force: true }))
  const web = await startWebServer({ stateDir, port: 0 })
  t.after(() => web.close())
  const browser = await chromium.launch({ executablePath: browserPath(), headless: true, args: CHROMIUM_ARGS, timeout: 30_000 })
  t.after(() => browser.close())
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
  const pageErrors: string[] = []
  page.on('pageerror', (error) => pageErrors.push(error.message))
  await page.goto(web.url)

  await page.locator('#replay-file').setInputFiles(file)
  await page.locator(`#replay[data-count="${rows}"]`).waitFor({ timeout: 10_000 })
  assert.match((await page.locator('#replay-title').textContent()) ?? '', /^AtLeastOneRing broken after 11 steps/)
  // The stabilize rounds are drawn: without them the notify that kills the ring would not be there.
  assert.ok(rows >= 8, `${rows} rows`)
  const slider = page.locator('#replay-slider')
  await slider.fill(String(rows - 1))
  await page.locator(`#replay[data-step="${rows - 1}"]`).waitFor({ timeout: 5000 })

  // Something that is no trace says so in the card.
  const bad = path.join(path.dirname(file), 'bad.json')
  fs.writeFileSync(bad, '{"messages": 3}')
  await page.locator('#replay-file').setInputFiles(bad)
  await page.locator('#replay-title', { hasText: 'bad.json is not a trace' }).waitFor({ timeout: 5000 })
  assert.deepEqual(pageErrors, [])
})
