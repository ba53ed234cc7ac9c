// Virtual nodes on real processes (VNODES=v, issue 20): every key's r copies lie on r different
// processes, read vnode by vnode, so a SIGKILL of one process (all its virtual nodes at once) loses
// nothing with r = 3; make leave takes all of a process's virtual nodes out; the x-chord-node header
// names a vnode, an id the process does not host is 503 NODE_LEFT, and a VNODES=1 node ignores it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { VNODE_HEADER } from '../../src/node/api/vnode-header.js'
import { isAlive, type ProcessRecord } from '../../src/tools/network-state.js'
import { sleep } from '../../src/tools/ring-ops.js'
import { startTestnet, type Testnet } from '../helpers/testnet.js'
import { lookupAll, makeValues, pick, storeAll, timedSettle } from './_support.js'

delete process.env.V
delete process.env.PORT

/** The processes of the ring, for failure messages: port, pid and the short id of vnode 0. */
function ringLine(net: Testnet): string {
  return net
    .processes()
    .map((p) => `@${p.port} (pid ${p.pid}, ${p.id.slice(0, 8)})`)
    .join(', ')
}

interface Copies {
  /** For each value, the port of each process holding a copy of it: one entry per copy (a port twice = two copies on one process). */
  byValue: Map<string, number[]>
  /** Virtual nodes read, per port. */
  vnodesPerPort: Map<number, number>
}

/** Every copy in the ring, read from each virtual node's own /content (nodeinfo lists a process's vnodes) and grouped by process. */
async function copiesByProcess(net: Testnet): Promise<Copies> {
  const byValue = new Map<string, number[]>()
  const vnodesPerPort = new Map<number, number>()
  for (const record of net.processes()) {
    const { vnodes } = await net.client.nodeProcess(record)
    vnodesPerPort.set(record.port, vnodes.length)
    for (const vnode of vnodes) {
      assert.equal(vnode.port, record.port, `nodeinfo of @${record.port} lists a vnode on another port`)
      const content = await net.client.content(vnode)
      for (const entry of content.entries) {
        const ports = byValue.get(entry.value) ?? []
        ports.push(vnode.port)
        byValue.set(entry.value, ports)
      }
    }
  }
  return { byValue, vnodesPerPort }
}

/** Each value exactly r times (fewer processes: once on each), on that many different live processes: the placement rule as the nodes' content shows it. */
async function assertPlacement(net: Testnet, values: readonly string[], vnodes: number, when: string): Promise<void> {
  const { byValue, vnodesPerPort } = await copiesByProcess(net)
  const ring = ringLine(net)
  for (const [port, count] of vnodesPerPort) assert.equal(count, vnodes, `${when}: @${port} hosts ${count} vnodes, expected ${vnodes}; ring ${ring}`)
  const live = new Set(net.processes().map((p) => p.port))
  const r = Math.min(net.settings.replicas, live.size)
  const wrong: string[] = []
  for (const value of values) {
    const ports = byValue.get(value) ?? []
    const processes = new Set(ports)
    if (ports.length !== r || processes.size !== r || ports.some((port) => !live.has(port))) wrong.push(`${JSON.stringify(value)} on [${ports.map((p) => `@${p}`).join(', ')}]`)
  }
  assert.deepEqual(wrong.slice(0, 10), [], `${when}: ${wrong.length} of ${values.length} values not on exactly ${r} copies on ${r} different processes; ring ${ring}`)
  const strays = [...byValue.keys()].filter((value) => !values.includes(value))
  assert.deepEqual(strays, [], `${when}: values nobody stored; ring ${ring}`)
}

/** Polls until the process has exited (a leaving process goes once its reply is out). */
async function exited(pid: number, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (isAlive(pid) && Date.now() < deadline) await sleep(20)
  return !isAlive(pid)
}

test('5 processes × VNODES=4, r=3: 3 copies on 3 processes; a SIGKILL of one process loses nothing; make leave takes all its vnodes', async (t) => {
  const vnodes = 4
  const net = await startTestnet(t, { nodes: 5, replicas: 3, vnodes })
  const values = makeValues('vnodes', 200)
  await storeAll(net, values, 8)
  const booted = await timedSettle(net, 30_000)
  t.diagnostic(`ring ${ringLine(net)}; settled ${booted.ms} ms after the stores`)
  assert.deepEqual(booted.problems, [], `the ring of ${net.processes().length} × ${vnodes} settles; ring ${ringLine(net)}`)
  const snapshot = await net.snapshot()
  assert.equal(snapshot.nodes.length, 5 * vnodes, `every vnode is on the ring; ring ${ringLine(net)}`)
  await assertPlacement(net, values, vnodes, 'after the stores')

  // A crash: one process, all its vnodes at once, no goodbye.
  const victim: ProcessRecord = pick(net.processes())
  process.kill(victim.pid, 'SIGKILL')
  net.state.removeProcess(victim.pid)
  const crashedAt = Date.now()
  assert.ok(await exited(victim.pid), `process ${victim.pid} (@${victim.port}) is gone after SIGKILL`)
  const repaired = await timedSettle(net, 30_000)
  const repairMs = Date.now() - crashedAt
  t.diagnostic(`SIGKILL of @${victim.port} (pid ${victim.pid}): the ring was healthy again ${repairMs} ms later`)
  assert.deepEqual(repaired.problems, [], `the ring repairs itself after the crash of @${victim.port}; ring ${ringLine(net)}`)
  assert.deepEqual(await lookupAll(net, values, 8), [], `every value is found after the crash of @${victim.port}; ring ${ringLine(net)}`)
  await assertPlacement(net, values, vnodes, `after the crash of @${victim.port}`)
  const afterCrash = await net.snapshot()
  assert.ok(!afterCrash.nodes.some((n) => n.port === victim.port), `no vnode of @${victim.port} is left on the ring`)
  assert.equal(afterCrash.nodes.length, 4 * vnodes)

  // make leave: every vnode of the process hands its keys over, then the process exits.
  const leaving = pick(net.processes())
  const leftAt = Date.now()
  const left = await net.runScript('leave', { PORT: String(leaving.port) })
  assert.equal(left.code, 0, `make leave PORT=${leaving.port}; ring ${ringLine(net)}\n${left.stdout}${left.stderr}`)
  assert.ok(!net.processes().some((p) => p.port === leaving.port), `@${leaving.port} is gone from the state`)
  assert.ok(await exited(leaving.pid), `process ${leaving.pid} (@${leaving.port}) has exited`)
  // Nothing lost at the moment of the leave, before any repair: every value still found.
  assert.deepEqual(await lookupAll(net, values, 8), [], `every value is found right after @${leaving.port} left; ring ${ringLine(net)}`)
  const afterLeave = await timedSettle(net, 30_000)
  t.diagnostic(`make leave of @${leaving.port}: ${left.stdout.trim().split('\n').at(-1) ?? ''}; the ring was healthy ${Date.now() - leftAt} ms after the leave began`)
  assert.deepEqual(afterLeave.problems, [], `the ring settles after @${leaving.port} left; ring ${ringLine(net)}`)
  assert.deepEqual(await lookupAll(net, values, 8), [], `every value is found after @${leaving.port} left; ring ${ringLine(net)}`)
  await assertPlacement(net, values, vnodes, `after @${leaving.port} left`)
  const afterLeaveSnapshot = await net.snapshot()
  assert.ok(!afterLeaveSnapshot.nodes.some((n) => n.port === leaving.port), `no vnode of @${leaving.port} is left on the ring`)
  assert.equal(afterLeaveSnapshot.nodes.length, 3 * vnodes)

  // make killall says what the ring held: every value, read from every vnode of every process.
  const stopped = await net.runScript('killall')
  assert.equal(stopped.code, 0, `make killall\n${stopped.stdout}${stopped.stderr}`)
  assert.match(stopped.stdout, new RegExp(`holding ${values.length} values`), `make killall counts every value once: ${stopped.stdout}`)
})

test('VNODES=3: a header naming an id the process does not host is 503 NODE_LEFT; POST /leave takes every vnode of the process out', async (t) => {
  const vnodes = 3
  const net = await startTestnet(t, { nodes: 3, replicas: 3, vnodes })
  const values = makeValues('vnode leave', 40)
  await storeAll(net, values)
  assert.deepEqual(await net.settle(), [], `ring ${ringLine(net)}`)

  const [asked, other] = net.processes() as [ProcessRecord, ProcessRecord, ProcessRecord]
  const { vnodes: hosted } = await net.client.nodeProcess(asked)
  assert.equal(hosted.length, vnodes)
  // Each hosted vnode answers as itself.
  for (const vnode of hosted) {
    const info = await net.client.nodeInfo(vnode)
    assert.equal(info.self.id, vnode.id, `@${asked.port} answers as the vnode its header names`)
  }
  // An id nobody hosts, and one that another process hosts: neither is a node of this process.
  const { vnodes: elsewhere } = await net.client.nodeProcess(other)
  for (const id of [randomBytes(20).toString('hex'), net.client.wire.id(elsewhere[1]!.id)]) {
    const reply = await fetch(`http://${asked.host}:${asked.port}/nodeinfo`, { headers: { [VNODE_HEADER]: id } })
    assert.equal(reply.status, 503, `GET /nodeinfo at @${asked.port} for vnode ${id.slice(0, 8)}`)
    const body = (await reply.json()) as { error?: unknown; code?: unknown }
    assert.equal(body.code, 'NODE_LEFT')
    assert.equal(typeof body.error, 'string')
  }
  // Without the header: the process's first vnode.
  const plain = (await (await fetch(`http://${asked.host}:${asked.port}/nodeinfo`)).json()) as { id: string }
  assert.equal(plain.id, asked.id)

  // POST /leave once: every vnode leaves, then the process exits.
  await net.client.leave(asked)
  assert.ok(await exited(asked.pid), `process ${asked.pid} (@${asked.port}) exits after its vnodes left`)
  net.state.removeProcess(asked.pid)
  assert.deepEqual(await lookupAll(net, values), [], `every value found right after @${asked.port} left; ring ${ringLine(net)}`)
  assert.deepEqual(await net.settle(), [], `ring ${ringLine(net)}`)
  const snapshot = await net.snapshot()
  assert.deepEqual(
    snapshot.nodes.filter((n) => n.port === asked.port).map((n) => n.id),
    [],
    `no vnode of @${asked.port} is left on the ring`,
  )
  assert.equal(snapshot.nodes.length, 2 * vnodes)
  assert.deepEqual(await lookupAll(net, values), [], `every value found after the ring settled; ring ${ringLine(net)}`)
  await assertPlacement(net, values, vnodes, `after @${asked.port} left`)
})

test('VNODES=1: a node ignores the x-chord-node header', async (t) => {
  const net = await startTestnet(t, { nodes: 2, replicas: 2 })
  const values = makeValues('one vnode', 5)
  await storeAll(net, values)
  const node = pick(net.processes())
  const headers = { [VNODE_HEADER]: randomBytes(20).toString('hex') }
  const reply = await fetch(`http://${node.host}:${node.port}/nodeinfo`, { headers })
  assert.equal(reply.status, 200, `GET /nodeinfo at @${node.port} with an unknown vnode id`)
  const info = (await reply.json()) as { id: string; vnodes?: Array<{ id: string }> }
  assert.equal(info.id, node.id)
  assert.deepEqual(
    info.vnodes?.map((v) => v.id),
    [node.id],
  )
  const lookup = await fetch(`http://${node.host}:${node.port}/lookup?${new URLSearchParams({ value: values[0]! })}`, { headers })
  assert.equal(lookup.status, 200, `GET /lookup at @${node.port} with an unknown vnode id`)
  assert.equal(((await lookup.json()) as { value: string }).value, values[0])
})
