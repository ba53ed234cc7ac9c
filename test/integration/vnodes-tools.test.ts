// The tools on a ring of processes hosting virtual nodes (VNODES=3): make monitor groups each process's
// virtual nodes under its line, make fingers shows every virtual node's table, make check counts virtual
// nodes and processes, make add, leave and crash speak of a process and its virtual nodes, make recover
// records one process per address, and make killall counts the values every virtual node held.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import { startTestnet } from '../helpers/testnet.js'
import { makeValues, storeAll } from './_support.js'

delete process.env.ONCE
delete process.env.JSON

const VNODES = 3
const VALUES = 60

test('VNODES=3: monitor, fingers, check, add, leave, crash, recover and killall speak of processes and count every virtual node', async (t) => {
  const net = await startTestnet(t, { nodes: 3, vnodes: VNODES })
  await storeAll(net, makeValues('vtools', VALUES))
  assert.deepEqual(await net.settle(), [])
  const processes = net.processes()
  const ports = processes.map((p) => p.port)

  const frame = await net.runScript('monitor', { ONCE: '1' })
  assert.equal(frame.code, 0, `${frame.stdout}${frame.stderr}`)
  const lines = frame.stdout.split('\n')
  assert.match(lines[0]!, /9 virtual nodes in 3 processes/)
  for (const p of processes) {
    // The process's line, then its three virtual nodes by index, the first with the process's id.
    const at = lines.findIndex((l) => new RegExp(`^\\s*process @${p.port}\\s+pid ${p.pid}\\s+3 virtual nodes\\s+\\d+\\s+\\d+\\s+0\\s*$`).test(l))
    assert.ok(at >= 0, `a process line for @${p.port}:\n${frame.stdout}`)
    const rows = lines.slice(at + 1, at + 1 + VNODES)
    assert.deepEqual(rows.map((r) => r.trim().split(/\s+/)[1]), ['#0', '#1', '#2'], `its virtual nodes under it:\n${frame.stdout}`)
    assert.ok(rows[0]!.trim().startsWith(p.id.slice(0, 8)), rows[0])
  }
  assert.match(frame.stdout, /ring healthy/)

  const fingers = await net.runScript('fingers', { PORT: String(ports[1]) })
  assert.equal(fingers.code, 0, fingers.stderr)
  const titles = fingers.stdout.split('\n').filter((l) => l.startsWith('finger table of'))
  assert.equal(titles.length, VNODES, fingers.stdout)
  titles.forEach((title, i) => assert.match(title, new RegExp(`@${ports[1]}, virtual node #${i} of 3 of process @${ports[1]}`)))
  // Every finger names its node as id@port, a port of the ring.
  const targets = [...fingers.stdout.matchAll(/ [0-9a-f]{8}@(\d+)$/gm)].map((m) => Number(m[1]))
  assert.ok(targets.length >= VNODES && targets.every((port) => ports.includes(port)), fingers.stdout)

  const check = await net.runScript('check', { WAIT: '20' })
  assert.equal(check.code, 0, `${check.stdout}${check.stderr}`)
  assert.match(check.stdout, /ring healthy.*: 9 virtual nodes of 3 processes in one ordered ring, .*every key on its owner with 3 copies on 3 processes \(180 held\)/)

  const added = await net.runScript('add')
  assert.equal(added.code, 0, added.stderr)
  assert.match(added.stdout, /process @\d+ joined with 3 virtual nodes \(pid \d+\)/)
  const left = await net.runScript('leave', { PORT: String(ports[0]) })
  assert.equal(left.code, 0, left.stderr)
  assert.match(left.stdout, new RegExp(`process @${ports[0]} \\(pid ${processes[0]!.pid}\\) left the ring with its 3 virtual nodes; their keys went to [0-9a-f]{8}@\\d+`))
  assert.doesNotMatch(left.stdout.split('their keys went to')[1] ?? '', new RegExp(`@${ports[0]}\\b`), 'none of its own virtual nodes takes the keys')
  const crashed = await net.runScript('crash', { PORT: String(ports[2]) })
  assert.equal(crashed.code, 0, crashed.stderr)
  assert.match(crashed.stdout, new RegExp(`crashed process @${ports[2]} \\(pid ${processes[2]!.pid}, SIGKILL\\), taking its 3 virtual nodes down`))
  const settled = await net.runScript('check', { WAIT: '30' })
  assert.equal(settled.code, 0, `${settled.stdout}${settled.stderr}`)
  assert.match(settled.stdout, /6 virtual nodes of 2 processes .* 2 copies on 2 processes \(120 held\)/)

  // make recover: one record per process (its first virtual node's id), not one per virtual node.
  const running = net.processes().map((p) => `${p.port}:${p.pid}:${p.id}`).sort()
  fs.rmSync(net.state.file)
  const recover = await net.runScript('recover', { JOIN: `127.0.0.1:${ports[1]}` })
  assert.equal(recover.code, 0, recover.stderr)
  assert.match(recover.stdout, /2 of the ring's 2 processes \(3 virtual nodes each\) run here/)
  assert.deepEqual(net.processes().map((p) => `${p.port}:${p.pid}:${p.id}`).sort(), running)
  assert.equal(net.state.requireRing().settings.vnodes, VNODES, 'the recovered state keeps VNODES')

  const killed = await net.runScript('killall')
  assert.equal(killed.code, 0, killed.stderr)
  assert.match(killed.stdout, new RegExp(`stopped the ring: 2 processes with 6 virtual nodes on ports .* holding ${VALUES} values`))
})
