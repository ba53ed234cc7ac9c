// Virtual nodes over the in-memory transport: processes of v ChordNodes sharing one address (ids
// SHA-1 of host:port:i), joined into one ring. Every key's r copies lie on r different processes
// (placement.ts, checked by checkRing), so a crash of one process, all its nodes at once, loses
// nothing with r = 3, and neither does a process leaving node by node. Also how the memory network
// reaches a process's nodes: by id, as the x-chord-node header does.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { DhtError, isDhtError } from '../../src/node/errors.js'
import type { ChordNode } from '../../src/node/protocol/chord-node.js'
import { processOf } from '../../src/node/protocol/placement.js'
import { SimRing } from '../../src/workbench/sim/sim-ring.js'
import { check, failedLookups, keysOf, lostValues, sample, seeds, settle, show, storeValues, valuesNotOnOwner } from './helpers.js'

const VALUES = 300
const MAX_ROUNDS = 30

/** Values whose copies are not on exactly `copies` nodes of `copies` different processes. */
function misplaced(sim: SimRing, values: string[]): string[] {
  const copies = Math.min(sim.config.replicas, new Set(sim.nodes.map((node) => processOf(node.self))).size)
  return values.flatMap((value) => {
    const key = sim.space.hash(value)
    const holders = sim.nodes.filter((node) => node.store.get(key).includes(value)).map((node) => processOf(node.self))
    return holders.length === copies && new Set(holders).size === copies ? [] : [`${value} on [${holders.join(', ')}]`]
  })
}

async function buildProcesses(seed: number, processes: number, vnodes: number): Promise<SimRing> {
  const sim = new SimRing({ seed, config: { replicas: 3 } })
  for (let i = 0; i < processes; i++) await sim.joinProcess(vnodes)
  return sim
}

for (const seed of seeds([61, 62, 63, 64, 65, 66, 67, 68])) {
  test(`processes of v virtual nodes, r = 3: a crash of one process (all its nodes at once) and a process leaving lose nothing (seed ${seed})`, async (t) => {
    // 5 to 10 processes of 2, 4 or 8 virtual nodes, chosen by the seed.
    const probe = new SimRing({ seed })
    const processes = 5 + probe.random.int(6)
    const vnodes = [2, 4, 8][probe.random.int(3)]!
    const sim = await buildProcesses(seed, processes, vnodes)
    const label = `seed ${seed}, ${processes} processes × ${vnodes}`
    assert.equal(sim.nodes.length, processes * vnodes)
    const built = await settle(sim, { maxRounds: MAX_ROUNDS, fingers: true })
    assert.deepEqual(built.violations, [], `${label}: not clean after ${built.rounds} rounds: ${show(built.violations)}`)
    const values = await storeValues(sim, VALUES, `vnodes-${seed}`)
    const keys = keysOf(sim, values)
    const stored = await settle(sim, { storedKeys: keys, maxRounds: MAX_ROUNDS })
    assert.deepEqual(stored.violations, [], `${label}: not clean after the stores: ${show(stored.violations)}`)
    assert.deepEqual(misplaced(sim, values), [], `${label}: copies not on 3 different processes`)

    // A crash: every node of one process stops at once, with no goodbye.
    const victim = sim.random.pick(sim.nodes)
    const gone = sim.processOf(victim)
    assert.equal(gone.length, vnodes)
    sim.crash(victim)
    assert.equal(sim.nodes.length, (processes - 1) * vnodes, `${label}: the crash took the whole process off the live list`)
    for (const node of gone) await assert.rejects(sim.network.call(node.self, 'ping', {}), (error: unknown) => isDhtError(error, 'PEER_UNREACHABLE'), `${label}: a crashed vnode answers`)
    assert.deepEqual(lostValues(sim, values), [], `${label}: values lost with process ${processOf(victim.self)}`)
    const during = await failedLookups(sim, values)
    t.diagnostic(`${label}: crashed ${processOf(victim.self)}; lookups before any repair ${values.length - during.length}/${values.length}`)
    assert.deepEqual(during, [], `${label}: lookups failed before the repair: ${sample(during)}`)
    const repaired = await settle(sim, { storedKeys: keys, maxRounds: MAX_ROUNDS })
    t.diagnostic(`${label}: clean ${repaired.rounds} maintenance rounds after the crash`)
    assert.deepEqual(repaired.violations, [], `${label}: not clean ${repaired.rounds} rounds after the crash: ${show(repaired.violations)}`)
    assert.deepEqual(misplaced(sim, values), [], `${label}: copies not on 3 different processes after the crash`)
    assert.deepEqual(valuesNotOnOwner(sim, values), [], `${label}: values not on their owner`)

    // A new process joins, then another leaves, its nodes one after the other as POST /leave does.
    await sim.joinProcess(vnodes)
    const joined = await settle(sim, { storedKeys: keys, maxRounds: MAX_ROUNDS })
    assert.deepEqual(joined.violations, [], `${label}: not clean after a process joined: ${show(joined.violations)}`)
    const leaver = sim.random.pick(sim.nodes)
    for (const node of sim.processOf(leaver)) {
      await sim.leave(node)
      assert.deepEqual(lostValues(sim, values), [], `${label}: values lost as ${processOf(leaver.self)} left`)
    }
    assert.equal(sim.processOf(leaver).length, 0)
    const left = await settle(sim, { storedKeys: keys, maxRounds: MAX_ROUNDS })
    t.diagnostic(`${label}: clean ${left.rounds} rounds after ${processOf(leaver.self)} left`)
    assert.deepEqual(left.violations, [], `${label}: not clean after a process left: ${show(left.violations)}`)
    assert.deepEqual(misplaced(sim, values), [], `${label}: copies not on 3 different processes after the leave`)
    const after = await failedLookups(sim, values)
    assert.deepEqual(after, [], `${label}: lookups failed at the end: ${sample(after)}`)
  })
}

test('two processes crash one after the other, each repaired before the next: nothing lost (r = 3, 8 processes × 4)', async () => {
  const sim = await buildProcesses(71, 8, 4)
  await settle(sim, { maxRounds: MAX_ROUNDS, fingers: true })
  const values = await storeValues(sim, VALUES, 'vnodes-two-crashes')
  const keys = keysOf(sim, values)
  for (let crash = 1; crash <= 2; crash++) {
    sim.crash(sim.random.pick(sim.nodes))
    assert.deepEqual(lostValues(sim, values), [], `crash ${crash}: values lost`)
    const { rounds, violations } = await settle(sim, { storedKeys: keys, maxRounds: MAX_ROUNDS })
    assert.deepEqual(violations, [], `crash ${crash}: not clean after ${rounds} rounds: ${show(violations)}`)
    assert.deepEqual(misplaced(sim, values), [], `crash ${crash}: copies not on 3 different processes`)
  }
  assert.equal(sim.nodes.length, 6 * 4)
  assert.deepEqual(check(sim, keys), [])
})

test('the memory network reaches a process\'s virtual nodes by id; an id it does not host is unreachable; one node per address ignores the id', async () => {
  const sim = new SimRing({ seed: 5 })
  const [first, second] = await sim.joinProcess(2)
  const [single] = await sim.joinProcess(1)
  await settle(sim, { maxRounds: MAX_ROUNDS })
  const network = sim.network
  await network.call(first!.self, 'ping', {})
  const asked = await network.call(second!.self, 'neighbors', {})
  assert.deepEqual(asked.successors.slice(0, 1), second!.successors.slice(0, 1), 'the second vnode answers as itself')
  const unhosted = { ...first!.self, id: (first!.self.id + 1n) % sim.space.size }
  await assert.rejects(network.call(unhosted, 'ping', {}), (error: unknown) => isDhtError(error, 'PEER_UNREACHABLE'))
  const anyId = { ...single!.self, id: (single!.self.id + 1n) % sim.space.size }
  await network.call(anyId, 'ping', {})
  // A vnode that left is gone; its process's other vnode still answers.
  await sim.leave(first!)
  await assert.rejects(network.call(first!.self, 'ping', {}), (error: unknown) => error instanceof DhtError && error.code === 'PEER_UNREACHABLE')
  await network.call(second!.self, 'ping', {})
  // A crash takes the process: its last vnode too.
  sim.crash(second!)
  await assert.rejects(network.call(second!.self, 'ping', {}), (error: unknown) => isDhtError(error, 'PEER_UNREACHABLE'))
  assert.deepEqual(
    sim.nodes.map((node: ChordNode) => node.self.id),
    [single!.self.id],
  )
})
