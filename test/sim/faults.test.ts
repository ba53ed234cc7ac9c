// Faults in the simulator: SimRing.partition cuts two sides apart in both directions (each node's
// transport blocks the other side), each side repairs itself into a ring of its own and keeps its
// writes, nodes joining meanwhile stay on their side, heal clears every fault; and the faults' random
// draws never shift the ring's own seeded choices.
// Lost calls: a lookup of a stored value survives them and never answers NOT_FOUND; a store that cannot
// complete says its outcome is unknown.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { isDhtError, isToolError } from '../../src/node/errors.js'
import type { ChordNode, TaskName } from '../../src/node/protocol/chord-node.js'
import type { SimRing } from '../../src/workbench/sim/sim-ring.js'
import { preciseNow } from '../../src/node/trace/tracer.js'
import { buildRing, check, only, POINTER_KINDS, show } from './helpers.js'
import { checkRing, viewOf } from '../../src/tools/ring-invariants.js'

/** Pointer violations of one side seen as a ring of its own. */
function sideProblems(sim: SimRing, side: readonly ChordNode[]) {
  return only(checkRing(side.map(viewOf), sim.space, { replicas: sim.config.replicas }), POINTER_KINDS)
}

async function partitionedRing(seed: number) {
  const sim = await buildRing({ seed, nodes: 12 })
  for (let r = 0; r < 6; r++) await sim.maintain({ fingers: true })
  assert.deepEqual(only(check(sim), POINTER_KINDS), [], `seed ${seed}: one ring before the partition`)
  // Five random nodes against seven: the sides interleave around the ring.
  const side = [...sim.nodes].sort(() => sim.random.next() - 0.5).slice(0, 5)
  const rest = sim.nodes.filter((n) => !side.includes(n))
  sim.partition(side)
  return { sim, side, rest }
}

describe('SimRing.partition and heal', () => {
  test('calls across the partition fail with PEER_UNREACHABLE, in both directions; calls within a side go through', async () => {
    const sim = await buildRing({ seed: 3, nodes: 12, trace: 10_000 })
    for (let r = 0; r < 6; r++) await sim.maintain({ fingers: true })
    const side = sim.sorted().filter((_, i) => i % 2 === 0)
    const since = preciseNow()
    sim.partition(side)
    for (let r = 0; r < 4; r++) await sim.maintain({ fingers: true })
    const onSide = (port: number | undefined) => side.some((n) => n.self.port === port)
    let across = 0
    let within = 0
    for (const node of sim.nodes) {
      for (const message of sim.tracers.get(node)!.log.since(since)) {
        if (message.side !== 'sent') continue
        if (onSide(message.from?.port) !== onSide(message.to?.port)) {
          across++
          assert.equal(message.error, 'PEER_UNREACHABLE', `${message.from?.port} → ${message.to?.port}: ${message.summary}`)
        } else if (message.status === 200) within++
      }
    }
    assert.ok(across > 0 && within > 0, `${across} calls across, ${within} answered within a side`)
  })

  for (const seed of [1, 2, 3, 4, 5]) {
    test(`seed ${seed}: each side repairs itself into a ring of its own, and a write on a side stays on it`, async () => {
      const { sim, side, rest } = await partitionedRing(seed)
      let rounds = 0
      while ((sideProblems(sim, side).length > 0 || sideProblems(sim, rest).length > 0) && rounds < 20) {
        await sim.maintain({ fingers: true })
        rounds++
      }
      assert.deepEqual(sideProblems(sim, side), [], `seed ${seed}: side of 5 after ${rounds} rounds:${show(sideProblems(sim, side))}`)
      assert.deepEqual(sideProblems(sim, rest), [], `seed ${seed}: side of 7 after ${rounds} rounds:${show(sideProblems(sim, rest))}`)
      for (const [mine, theirs] of [
        [side, rest],
        [rest, side],
      ] as const) {
        const value = `written on a side of ${mine.length}, seed ${seed}`
        const stored = await sim.random.pick(mine).storeValue(value)
        assert.ok(mine.some((n) => n.self.id === stored.node.id), `seed ${seed}: stored on its own side`)
        assert.ok(stored.path.every((p) => mine.some((n) => n.self.id === p.id)), `seed ${seed}: the route never left its side`)
        for (let r = 0; r < 3; r++) await sim.maintain()
        const key = sim.space.hash(value)
        assert.ok(theirs.every((n) => !n.store.get(key).includes(value)), `seed ${seed}: the other side never got "${value}"`)
        assert.ok(mine.filter((n) => n.store.get(key).includes(value)).length >= 1, `seed ${seed}: found on its side`)
        assert.equal((await sim.random.pick(mine).lookupValue(value)).value, value)
      }
    })
  }

  test('a node joining during a partition is on the side of the node it joined through', async () => {
    const { sim, side, rest } = await partitionedRing(7)
    for (let r = 0; r < 6; r++) await sim.maintain({ fingers: true })
    const sides = { first: 0, second: 0 }
    for (let i = 0; i < 8; i++) {
      const node = await sim.join()
      sides[sim.onFirstSide(node) ? 'first' : 'second']++
      const successor = sim.nodes.find((n) => n.self.id === node.successor.id)!
      assert.equal(sim.onFirstSide(successor), sim.onFirstSide(node), `@${node.self.port} joined a ring on its own side`)
      for (const other of sim.nodes) {
        if (other === node) continue
        const blocked = sim.faultsOf(node).blocks(`${other.self.host}:${other.self.port}`)
        assert.equal(blocked, sim.onFirstSide(node) !== sim.onFirstSide(other), `@${node.self.port} blocks @${other.self.port} only across`)
        assert.equal(sim.faultsOf(other).blocks(`${node.self.host}:${node.self.port}`), blocked, 'in both directions')
      }
    }
    assert.equal(sides.first + sides.second, 8)
    assert.ok(side.every((n) => sim.onFirstSide(n)) && rest.every((n) => !sim.onFirstSide(n)))
  })

  test('heal clears every fault on every node; refused: an empty side, the whole ring', async () => {
    const { sim } = await partitionedRing(4)
    sim.faultsOf(sim.nodes[0]!).update({ dropRate: 0.5, delayMs: 20 })
    sim.heal()
    assert.ok(!sim.partitioned)
    assert.ok(sim.nodes.every((n) => sim.faultsOf(n).healthy))
    assert.throws(() => sim.partition([]), (error: unknown) => isToolError(error, 'BAD_ARGUMENT'))
    assert.throws(() => sim.partition(sim.nodes), (error: unknown) => isToolError(error, 'BAD_ARGUMENT'))
    assert.ok(!sim.partitioned, 'a refused partition changes nothing')
  })

  test('the faults draw from their own stream: the ring\'s seeded choices are the same with losses as without', async () => {
    const run = async (dropRate: number) => {
      const sim = await buildRing({ seed: 11, nodes: 10 })
      for (const node of sim.nodes) sim.faultsOf(node).update({ dropRate })
      for (let r = 0; r < 4; r++) await sim.maintain({ fingers: true })
      return sim.random.next()
    }
    assert.equal(await run(0.3), await run(0))
  })
})

describe('lost calls (make drop RATE=0.1)', () => {
  /** One maintenance round on every node as their timers would run it: a task that fails is logged and tried next round. */
  async function roundUnderLoss(sim: SimRing, fingers: boolean): Promise<void> {
    sim.clock.advance(sim.config.stabilizeIntervalMs)
    for (const node of [...sim.nodes]) {
      const tasks: TaskName[] = ['check_predecessor', 'stabilize', ...(fingers ? (['fix_fingers'] as const) : []), 'retry_unreachable']
      for (const task of tasks) await node.runTask(task).catch(() => undefined)
    }
  }

  for (const seed of [1, 2, 3]) {
    test(`seed ${seed}: with 10 % of node-to-node calls lost, ≥ 99 % of lookups of stored values succeed and none answers NOT_FOUND`, async () => {
      const sim = await buildRing({ seed, nodes: 10 })
      for (let r = 0; r < 6; r++) await sim.maintain({ fingers: true })
      const values: string[] = []
      for (let i = 0; i < 100; i++) {
        values.push(`kept under loss ${seed}-${i}`)
        await sim.random.pick(sim.nodes).storeValue(values[i]!)
      }
      for (let r = 0; r < 3; r++) await sim.maintain({ fingers: true })
      for (const node of sim.nodes) sim.faultsOf(node).update({ dropRate: 0.1 })
      let found = 0
      const failures: string[] = []
      for (let round = 0; round < 10; round++) {
        await roundUnderLoss(sim, round % 3 === 0)
        for (let i = 0; i < 20; i++) {
          const value = sim.random.pick(values)
          try {
            await sim.random.pick(sim.nodes).lookupValue(value)
            found++
          } catch (error) {
            assert.ok(!isDhtError(error, 'NOT_FOUND'), `seed ${seed}: "${value}" is stored, yet a lookup answered ${String(error)}`)
            failures.push(String(error))
          }
        }
      }
      assert.ok(found >= 198, `seed ${seed}: ${found} of 200 lookups succeeded: ${failures.join('; ')}`)
    })
  }

  test('a store under loss is acknowledged or reported with an unknown outcome (PEER_TIMEOUT), and every acknowledged one is found after heal', async () => {
    const sim = await buildRing({ seed: 7, nodes: 10 })
    for (let r = 0; r < 6; r++) await sim.maintain({ fingers: true })
    for (const node of sim.nodes) sim.faultsOf(node).update({ dropRate: 0.2 })
    const acknowledged: string[] = []
    const codes = new Map<string, number>()
    for (let i = 0; i < 150; i++) {
      if (i % 15 === 0) await roundUnderLoss(sim, false)
      const value = `written under loss ${i}`
      try {
        await sim.random.pick(sim.nodes).storeValue(value)
        acknowledged.push(value)
      } catch (error) {
        const code = isDhtError(error) ? error.code : 'ERROR'
        codes.set(code, (codes.get(code) ?? 0) + 1)
        assert.equal(code, 'PEER_TIMEOUT', `a store that did not complete says its outcome is unknown: ${String(error)}`)
      }
    }
    sim.heal()
    for (let r = 0; r < 8; r++) await sim.maintain({ fingers: true })
    for (const value of acknowledged) assert.equal((await sim.random.pick(sim.nodes).lookupValue(value)).value, value)
    assert.ok(acknowledged.length >= 140, `${acknowledged.length} of 150 acknowledged (${[...codes].map(([c, n]) => `${c}×${n}`).join(' ')})`)
  })
})
