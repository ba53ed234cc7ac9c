// MODE=onehop across real processes: every node learns the whole ring over HTTP (the joiner's copy of
// its bootstrap's table, then stabilize's anti-entropy), so a lookup is client → entry → owner; a node
// SIGKILLed is marked gone in every table and lookups stay right; a bad table fingerprint is a 400.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { DhtError } from '../../src/node/errors.js'
import type { ProcessRecord } from '../../src/tools/network-state.js'
import { sleep } from '../../src/tools/ring-ops.js'
import { startTestnet, type Testnet } from '../helpers/testnet.js'
import { lookupAll, makeValues, pick, replayHint, storeAll } from './_support.js'

interface MemberJson { id: string; port: number; alive: boolean }

/** Each live node's member table, by port. */
async function tables(net: Testnet): Promise<Map<number, MemberJson[]>> {
  const result = new Map<number, MemberJson[]>()
  for (const node of net.processes()) {
    const reply = (await net.client.http.request(node, 'GET', '/members')) as { members: MemberJson[] }
    result.set(node.port, reply.members)
  }
  return result
}

/** Polls until every live node's table names exactly the live nodes as alive; returns what is still off. */
async function waitForTables(net: Testnet, timeoutMs = 15_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const live = new Set(net.processes().map((p: ProcessRecord) => p.id))
    const off: string[] = []
    for (const [port, members] of await tables(net)) {
      const alive = new Set(members.filter((m) => m.alive).map((m) => m.id))
      const missing = [...live].filter((id) => !alive.has(id)).length
      const stale = [...alive].filter((id) => !live.has(id)).length
      if (missing + stale > 0) off.push(`@${port}: ${missing} missing, ${stale} gone but alive`)
    }
    if (off.length === 0 || Date.now() > deadline) return off
    await sleep(100)
  }
}

test('MODE=onehop over HTTP: every node knows the ring, lookups take at most one hop, a crash is marked gone everywhere', async (t) => {
  const net = await startTestnet(t, { nodes: 8, routeMode: 'onehop' })
  const values = makeValues('onehop', 60)
  await storeAll(net, values)
  assert.deepEqual(await net.settle(), [], replayHint)
  assert.deepEqual(await waitForTables(net), [], `every table lists the 8 nodes (${replayHint})`)
  for (const value of values) {
    const found = await net.client.lookup(pick(net.processes()), value)
    assert.ok(found.hops <= 1, `${JSON.stringify(value)}: ${found.hops} hops (${replayHint})`)
  }

  const victim = pick(net.processes())
  process.kill(victim.pid, 'SIGKILL')
  net.state.removeProcess(victim.pid)
  t.diagnostic(`SIGKILLed @${victim.port}`)
  assert.deepEqual(await waitForTables(net), [], `every table marks @${victim.port} gone (${replayHint})`)
  assert.deepEqual(await net.settle(), [], replayHint)
  assert.deepEqual(await lookupAll(net, values), [], `every value found after the crash (${replayHint})`)

  const entry = pick(net.processes())
  await assert.rejects(
    net.client.http.request(entry, 'GET', '/neighbors?members=not-a-digest'),
    (error: unknown) => error instanceof DhtError && error.code === 'BAD_REQUEST' && /fingerprint/.test(error.message),
  )
})
