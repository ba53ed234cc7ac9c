// Jepsen's set test with deletes, in the simulator: clients store unique values, delete some and look up
// others through random nodes while a seeded nemesis joins nodes one by one and several at once, makes
// nodes leave and crashes up to r-1 adjacent ones, with maintenance rounds running in between. Messages
// are delivered out of order (seeded), so operations interleave with joins and handoffs message by
// message. Then the ring settles and every value is read: nothing acknowledged may be lost, no
// acknowledged delete undone, and no lookup that began after a store's acknowledgement may miss it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { isDhtError } from '../../src/node/errors.js'
import type { ChordNode } from '../../src/node/protocol/chord-node.js'
import { SeededRandom } from '../../src/workbench/sim/random.js'
import type { SimRing } from '../../src/workbench/sim/sim-ring.js'
import { History, tickClock } from '../../src/workbench/workload/history.js'
import { checkSet, formatSetReport } from '../../src/workbench/workload/set-checker.js'
import { finalReads, runSetWorkload, type SetTarget } from '../../src/workbench/workload/set-workload.js'
import { adjacent, buildRing, Departures, seeds, settle, show } from './helpers.js'

const NODES = 16
const CLIENTS = 4
const OPERATIONS = 400
const REPAIR_ROUNDS = 3
const MAX_SETTLE_ROUNDS = 30
/** Client operations per nemesis event, roughly: clients and nemesis each take one turn of the event loop at a time. */
const TURNS_BETWEEN_EVENTS = 4

/** One turn of the event loop: everything already under way (messages, other clients) moves on meanwhile. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve))

/** Through a random live node each time, as a client of the real ring picks a random entry node. */
function targetOf(sim: SimRing): SetTarget {
  const entry = () => sim.random.pick(sim.nodes)
  return {
    store: (value) => entry().storeValue(value),
    delete: (value) => entry().deleteValue(value),
    lookup: (value) => entry().lookupValue(value),
  }
}

/** Joins, leaves and crashes until the clients are done, a few maintenance rounds after each. */
async function nemesis(sim: SimRing, random: SeededRandom, done: () => boolean, log: string[]): Promise<void> {
  const r = sim.config.replicas
  const departures = new Departures(r, REPAIR_ROUNDS)
  const maintain = async (rounds: number) => {
    for (let i = 0; i < rounds; i++) {
      await sim.maintain({ fingers: departures.round % 3 === 2 })
      departures.round++
    }
  }
  while (!done()) {
    const roll = random.next()
    if (roll < 0.3) {
      await sim.join()
      log.push('join')
    } else if (roll < 0.45) {
      // Several at once, through random nodes, their steps interleaving with each other and the clients.
      const joiners: ChordNode[] = []
      for (let i = 0, n = 2 + random.int(3); i < n; i++) {
        const node = sim.createNode()
        if (!joiners.some((j) => j.self.id === node.self.id)) joiners.push(node)
      }
      const via = [...sim.nodes]
      const joined = await Promise.allSettled(joiners.map((node) => node.joinVia(random.pick(via).self)))
      for (const [i, result] of joined.entries()) if (result.status === 'fulfilled') sim.nodes.push(joiners[i]!)
      log.push(`join×${joiners.length}`)
    } else if (roll < 0.7 && sim.nodes.length > r + 3) {
      const leaving = random.pick(sim.nodes)
      if (departures.allows(sim, [leaving])) {
        try {
          await sim.leave(leaving)
          departures.add([leaving])
          log.push('leave')
        } catch (error) {
          // The documented refusal: no live predecessor known yet. The node stays, unharmed.
          if (!isDhtError(error, 'NOT_READY')) throw error
        }
      }
    } else if (sim.nodes.length > r + 3) {
      const victims = adjacent(sim, 1 + random.int(r - 1))
      if (departures.allows(sim, victims)) {
        for (const victim of victims) sim.crash(victim)
        departures.add(victims)
        log.push(`crash×${victims.length}`)
      }
    }
    await maintain(1 + random.int(2))
    for (let i = 0; i < TURNS_BETWEEN_EVENTS; i++) await turn()
  }
}

for (const replicas of [3, 2]) {
  for (const seed of seeds([71, 72, 73, 74, 75])) {
    test(`set with deletes under churn: ${CLIENTS} clients × ${OPERATIONS} operations, joins, leaves, crashes (r = ${replicas}, seed ${seed})`, async (t) => {
      const sim = await buildRing({ seed, nodes: NODES, config: { replicas }, reorder: 4 })
      await settle(sim, { maxRounds: MAX_SETTLE_ROUNDS, fingers: true })
      const history = new History(tickClock())
      const workloadRandom = new SeededRandom(seed * 7919)
      const nemesisRandom = new SeededRandom(seed * 104729)
      const target = targetOf(sim)
      let done = false
      const events: string[] = []
      const [values] = await Promise.all([
        runSetWorkload(history, {
          clients: CLIENTS,
          operations: OPERATIONS,
          random: () => workloadRandom.next(),
          prefix: `set-${seed}`,
          beforeEach: () => turn().then(() => true),
          targetFor: () => target,
        }).finally(() => (done = true)),
        nemesis(sim, nemesisRandom, () => done, events),
      ])
      const settled = await settle(sim, { maxRounds: MAX_SETTLE_ROUNDS })
      const where = `seed ${seed}, r = ${replicas}, nemesis ${events.join(' ')}`
      assert.deepEqual(settled.violations, [], `${where}: ring not clean after the churn: ${show(settled.violations)}`)
      const report = checkSet(history.operations, await finalReads(values, (value) => sim.random.pick(sim.nodes).lookupValue(value)))
      t.diagnostic(`seed ${seed}, r = ${replicas}: ${events.length} nemesis events, N = ${sim.nodes.length}; ${formatSetReport(report).replaceAll('\n', '; ')}`)
      assert.ok(report.valid, `${where}:\n${formatSetReport(report)}`)
      // No copy anywhere may hold a value live whose delete was acknowledged: not only lookups must miss it.
      const deleted = history.operations.filter((op) => op.kind === 'delete' && op.outcome === 'ok' && op.found === true).map((op) => op.value)
      const stillLive = deleted.filter((value) => sim.nodes.some((node) => node.store.get(sim.space.hash(value)).includes(value)))
      assert.deepEqual(stillLive, [], `${where}: deleted values still live on some node`)
      assert.ok(report.acknowledged > OPERATIONS, `${where}: too few stores acknowledged to mean anything (${report.acknowledged})`)
    })
  }
}
