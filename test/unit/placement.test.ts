// Unit tests for the replica rule in src/node/protocol/placement.ts: where a key's copies live, from a
// whole ring's view (holdersOf) and from one node's own view (its successor list), and that the two agree.
// Seeded random rings of processes hosting virtual nodes; the seed is in every failure message.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { holdEnd, holdersOf, holdingOf, processOf, replicaSegments, successorList } from '../../src/node/protocol/placement.js'
import type { Peer } from '../../src/node/protocol/types.js'
import { betweenLeftIncl, IdSpace, ownerIndex, type Id } from '../../src/node/ring.js'
import { SeededRandom } from '../../src/workbench/sim/random.js'

const space = new IdSpace(32)

/** The simulations' seeded generator: the same seed, the same rings. */
function random(seed: number): () => number {
  const generator = new SeededRandom(seed)
  return () => generator.next()
}

/** `processes` processes on ports 5000…, each hosting `v` virtual nodes with the node's own id rule, sorted by id. */
function ringOf(processes: number, v: number): Peer[] {
  const ring: Peer[] = []
  for (let p = 0; p < processes; p++) for (let i = 0; i < v; i++) ring.push({ id: space.nodeId('127.0.0.1', 5000 + p, i), host: '127.0.0.1', port: 5000 + p })
  return ring.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/** Node i's successor list in a settled ring, as successorList builds it from its successor's. */
function listOf(ring: readonly Peer[], i: number, replicas: number): Peer[] {
  const n = ring.length
  const ahead = Array.from({ length: n - 1 }, (_, k) => ring[(i + 1 + k) % n]!)
  return n === 1 ? [ring[0]!] : successorList(ring[i]!, ahead[0]!, ahead.slice(1), replicas)
}

const randomKey = (next: () => number): Id => BigInt(Math.floor(next() * 2 ** 32))
const names = (peers: readonly Peer[]) => peers.map((p) => `${space.toHex(p.id)}@${p.port}`).join(', ')

describe('placement: a key on r processes', () => {
  test('one node per process: the owner and its r-1 predecessors, and the successor list is the next r nodes', () => {
    const ring = ringOf(6, 1)
    for (let i = 0; i < ring.length; i++) {
      const key = ring[i]!.id + 1n
      assert.deepEqual(holdersOf(ring, key, 3), [ring[i], ring[(i + 5) % 6], ring[(i + 4) % 6]])
      assert.deepEqual(listOf(ring, i, 3), [ring[(i + 1) % 6], ring[(i + 2) % 6], ring[(i + 3) % 6]])
      assert.equal(holdEnd(ring[i]!, listOf(ring, i, 3), 3), ring[(i + 3) % 6]!.id)
      assert.equal(replicaSegments(ring[i]!, listOf(ring, i, 3), 3).length, 1)
    }
  })

  test('fewer processes than copies: every process holds every key, once', () => {
    const ring = ringOf(2, 4)
    for (const node of ring) {
      const holders = holdersOf(ring, node.id, 3)
      assert.equal(holders.length, 2)
      assert.notEqual(holders[0]!.port, holders[1]!.port)
    }
  })

  for (const seed of [1, 2, 3, 4, 5]) {
    test(`seed ${seed}: each node's own view agrees with the whole ring's, and no process holds two copies`, () => {
      const next = random(seed)
      const processes = 3 + Math.floor(next() * 6)
      const v = 1 + Math.floor(next() * 6)
      const r = 1 + Math.floor(next() * 4)
      const ring = ringOf(processes, v)
      const where = `seed ${seed}: ${processes} processes × ${v}, r=${r}`
      const lists = ring.map((_, i) => listOf(ring, i, r))
      for (let k = 0; k < 300; k++) {
        const key = randomKey(next)
        const holders = holdersOf(ring, key, r)
        assert.equal(holders[0], ring[ownerIndex(ring.map((p) => p.id), key)], where)
        assert.equal(new Set(holders.map(processOf)).size, holders.length, `${where}: two copies on one process: ${names(holders)}`)
        assert.equal(holders.length, Math.min(r, processes), where)
        ring.forEach((node, i) => {
          const holds = holdingOf(node, lists[i]!, r, key) === 'holder'
          assert.equal(holds, holders.includes(node), `${where}: ${names([node])} for key ${space.toHex(key)} (holders ${names(holders)}, its list ${names(lists[i]!)})`)
        })
      }
    })
  }

  for (const seed of [11, 12, 13]) {
    test(`seed ${seed}: the replica range's parts tile [s1, end), each held whole by its holder`, () => {
      const next = random(seed)
      const r = 2 + Math.floor(next() * 3)
      const ring = ringOf(4 + Math.floor(next() * 4), 2 + Math.floor(next() * 5))
      ring.forEach((node, i) => {
        const list = listOf(ring, i, r)
        const segments = replicaSegments(node, list, r)
        if (segments.length === 0) return
        assert.equal(segments[0]!.from, list[0]!.id, `seed ${seed}`)
        assert.equal(segments.at(-1)!.to, holdEnd(node, list, r), `seed ${seed}`)
        segments.forEach((part, k) => {
          if (k > 0) assert.equal(part.from, segments[k - 1]!.to, `seed ${seed}: parts meet`)
          const at = ring.findIndex((p) => p.id === part.holder.id)
          const end = holdEnd(part.holder, listOf(ring, at, r), r)
          const heldWhole = end === part.holder.id || part.to === end || betweenLeftIncl(part.to, part.holder.id, end)
          assert.ok(heldWhole, `seed ${seed}: ${names([part.holder])} holds up to ${space.toHex(end)}, not to ${space.toHex(part.to)}`)
        })
      })
    })
  }

  for (const seed of [21, 22, 23]) {
    test(`seed ${seed}: when one process crashes, each key's new owner held a copy before`, () => {
      const next = random(seed)
      const ring = ringOf(5 + Math.floor(next() * 4), 1 + Math.floor(next() * 8))
      const crashed = 5000 + Math.floor(next() * 5)
      const after = ring.filter((p) => p.port !== crashed)
      for (let k = 0; k < 500; k++) {
        const key = randomKey(next)
        const before = holdersOf(ring, key, 3)
        const owner = holdersOf(after, key, 3)[0]!
        assert.ok(before.includes(owner), `seed ${seed}: key ${space.toHex(key)} after @${crashed} crashed is owned by ${names([owner])}, which held no copy (${names(before)})`)
      }
    })
  }

  test('a successor list spans r processes, not r nodes', () => {
    const ring = ringOf(4, 5)
    ring.forEach((_, i) => {
      const list = listOf(ring, i, 3)
      assert.equal(new Set(list.map(processOf)).size, 3)
      // It stops at the node that brings the r-th process: the last one's process is new.
      assert.ok(!list.slice(0, -1).some((p) => processOf(p) === processOf(list.at(-1)!)))
    })
  })
})
