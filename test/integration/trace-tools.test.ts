// The trace tools as a user runs them, against real node processes: make lookup TRACE=1 prints the
// diagram of the lookup (the route's path as its lanes, the trace id), make trace ID= prints the same
// trace again and writes it as SVG, make messages ONCE=1 lists it, and bad or unknown ids are refused;
// make add TRACE=1 folds the join's announcement into one row and keeps maintenance for ALL=1.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { sleep } from '../../src/tools/ring-ops.js'
import { formatTraceparent, newSpanId, newTraceId } from '../../src/node/trace/trace-context.js'
import { startTestnet } from '../helpers/testnet.js'
import { pick, replayHint } from './_support.js'
import { EXIT_CODES } from '../../src/tools/exit-codes.js'

const SCRIPTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../scripts')

/** Polls `ready` until it holds, or fails naming `what` after `timeoutMs`. */
async function until(ready: () => boolean, what: () => string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!ready()) {
    if (Date.now() > deadline) assert.fail(what())
    await sleep(20)
  }
}

// The scripts read their arguments from the environment: make sure no stray one reaches them.
for (const name of ['V', 'PORT', 'TRACE', 'ID', 'SVG', 'ALL', 'ONCE']) delete process.env[name]

/** The diagram a tool printed: from its title line to the hint after it. */
function diagramOf(stdout: string): string[] {
  const lines = stdout.split('\n')
  const first = lines.findIndex((l) => /^trace [0-9a-f]{32} /.test(l))
  assert.ok(first >= 0, `a diagram is printed:\n${stdout}`)
  const end = lines.findIndex((l, i) => i > first && (l.trim() === '' || l.trimStart().startsWith('again:') || l.startsWith('✔')))
  return lines.slice(first, end < 0 ? undefined : end)
}

test('make lookup TRACE=1 draws the route as lanes under its trace id; make trace ID= prints the same trace, and as SVG', async (t) => {
  const net = await startTestnet(t, { nodes: 8 })
  const value = 'traced from the terminal'
  await net.client.store(pick(net.processes()), value)
  // Fingers refresh on their own period: once settled, the route from one node to one key stays the same.
  assert.deepEqual(await net.settle(), [])
  const entry = pick(net.processes())

  const lookup = await net.runScript('lookup', { V: value, PORT: String(entry.port), TRACE: '1' })
  assert.equal(lookup.code, 0, lookup.stderr)
  assert.match(lookup.stdout, /^✔ found "traced from the terminal"/, 'the usual line comes first')
  const diagram = diagramOf(lookup.stdout)
  const traceId = /^trace ([0-9a-f]{32}) /.exec(diagram[0]!)![1]!
  assert.ok(lookup.stdout.includes(`make trace ID=${traceId}`), 'it says how to print the trace again')

  const found = await net.client.lookup(entry, value)
  const where = `asked @${entry.port}, path ${found.path.map((p) => p.port).join(' ')} (${replayHint})\n${diagram.join('\n')}`
  const lanes = diagram[1]!.trim().split(/\s+/).slice(1)
  assert.deepEqual(lanes, ['client', ...found.path.map((p) => `@${p.port}`)], `the lanes are the client and the route's path: ${where}`)
  const arrows = diagram.filter((l) => /[▶◀]/.test(l))
  assert.equal(arrows.length, 1 + found.hops, `one arrow for the client's request and one per hop: ${where}`)
  assert.match(arrows[0]!, /├─+▶│.*GET \/lookup\s+200\b/, 'the first is the client\'s, to the entry node')
  assert.ok(arrows.slice(1).every((l) => /GET \/route\s+200\b/.test(l)), `then the entry node's routing steps: ${where}`)

  const svgFile = path.join(net.dir, 'lookup.svg')
  const again = await net.runScript('trace', { ID: traceId, SVG: svgFile })
  assert.equal(again.code, 0, again.stderr)
  assert.deepEqual(diagramOf(again.stdout), diagram, 'make trace prints the same diagram')
  const svg = fs.readFileSync(svgFile, 'utf8')
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"') && svg.includes(traceId))
  assert.equal((svg.match(/class="message"/g) ?? []).length, 1 + found.hops, 'the SVG has one arrow per message')

  const tail = await net.runScript('messages', { ONCE: '1' })
  assert.equal(tail.code, 0, tail.stderr)
  assert.ok(tail.stdout.includes(`── trace ${traceId}`), `make messages names the trace:\n${tail.stdout}`)
  assert.match(tail.stdout, new RegExp(`${traceId.slice(0, 8)} client → @${entry.port}\\s+GET /lookup\\s+200`))
  assert.ok(!/\[(stabilize|check_predecessor|fix_fingers)\]/.test(tail.stdout), 'no maintenance without ALL=1')
  const all = await net.runScript('messages', { ONCE: '1', ALL: '1' })
  assert.match(all.stdout, /\[(stabilize|check_predecessor|fix_fingers)\]/, 'ALL=1 shows the maintenance rounds')

  const unknown = await net.runScript('trace', { ID: 'f'.repeat(32) })
  assert.equal(unknown.code, 1)
  assert.equal(unknown.stderr.trim().split('\n').length, 1, `one line: ${unknown.stderr}`)
  assert.match(unknown.stderr, /no node of the ring has a message of trace f{32}/)
  const bad = await net.runScript('trace', { ID: 'nothex' })
  assert.equal(bad.code, EXIT_CODES.badArgument)
  assert.match(bad.stderr, /^✘ ID must be a trace id/)
})

test('make messages tails the ring live: a lookup made while it runs shows up under its trace id; Ctrl-C stops it', async (t) => {
  const net = await startTestnet(t, { nodes: 4 })
  await net.client.store(pick(net.processes()), 'tailed')
  const tail = spawn(process.execPath, [path.join(SCRIPTS, 'messages.js')], {
    env: { ...process.env, DHT_STATE_DIR: net.dir, NO_COLOR: '1', INTERVAL_MS: '100' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  t.after(() => {
    if (tail.exitCode === null && tail.signalCode === null) tail.kill('SIGKILL')
  })
  let stdout = ''
  let stderr = ''
  tail.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  tail.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  await until(() => stdout.includes('Ctrl-C to stop'), () => `make messages starts: ${stdout}${stderr}`)
  // Its first polls are done once what the logs held is printed; the lookup comes after them.
  await sleep(300)
  const traceId = newTraceId()
  const entry = pick(net.processes())
  await net.client.lookup(entry, 'tailed', { traceparent: formatTraceparent(traceId, newSpanId()) })
  const line = new RegExp(`${traceId.slice(0, 8)} client → @${entry.port}\\s+GET /lookup\\s+200`)
  await until(() => stdout.includes(`── trace ${traceId}`) && line.test(stdout), () => `the lookup shows up (${replayHint}):\n${stdout}${stderr}`)
  tail.kill('SIGINT')
  const [code] = (await once(tail, 'exit')) as [number | null]
  assert.equal(code, 0, `Ctrl-C ends make messages cleanly: ${stderr}`)
  assert.equal(stdout.split('\n').filter((l) => line.test(l)).length, 1, 'the lookup is printed once')
})

test('make add TRACE=1 draws the join with its announcement folded into one row, and the joiner’s first maintenance only with ALL=1', async (t) => {
  const net = await startTestnet(t, { nodes: 6 })
  assert.deepEqual(await net.settle(), [])
  const add = await net.runScript('add', { TRACE: '1' })
  assert.equal(add.code, 0, add.stderr)
  const diagram = diagramOf(add.stdout)
  const port = /node [0-9a-f]+@(\d+) joined/.exec(add.stdout)?.[1]
  assert.ok(port, `the usual line names the new node:\n${add.stdout}`)
  const shown = `${diagram.join('\n')}\n(${replayHint})`
  // A long summary wraps onto lines of its own (no time stamp, only the lanes): read each row whole.
  const rows = diagram.reduce<string[]>((whole, line) => {
    const continued = whole.length > 0 && /^\s+│/.test(line) && !/[─▶◀]/.test(line)
    if (continued) whole[whole.length - 1] += ' ' + line.replace(/[│\s]+/, ' ').trim()
    else whole.push(line)
    return whole
  }, [])
  assert.ok(rows.some((l) => new RegExp(`POST /announce .*announce "joined @${port}" to\\s+[5-6] nodes`).test(l)), `one row for the announcement to every node:\n${shown}`)
  assert.ok(!diagram.some((l) => /announce: /.test(l)), `no announcement of its own:\n${shown}`)
  assert.ok(diagram.some((l) => /POST \/join/.test(l)) && diagram.filter((l) => /PUT \/(successor|predecessor)/.test(l)).length >= 4, `the rewiring:\n${shown}`)
  assert.ok(!diagram.some((l) => /\[(stabilize|fix_fingers)\]/.test(l)), `no maintenance without ALL=1:\n${shown}`)
  assert.match(add.stdout, /broadcast messages folded into one row; \d+ maintenance messages hidden \(ALL=1 shows them\)/)

  const all = await net.runScript('add', { TRACE: '1', ALL: '1' })
  assert.equal(all.code, 0, all.stderr)
  assert.ok(diagramOf(all.stdout).some((l) => /\[(stabilize|fix_fingers)\]/.test(l)), `ALL=1 shows the joiner's first maintenance:\n${all.stdout}`)
})
