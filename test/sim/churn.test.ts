// Seeded churn: a ring of a few hundred nodes under a random interleaving of joins, leaves, crashes
// and new stores, with maintenance rounds in between. Departures respect the replication promise: within
// one repair period (REPAIR_ROUNDS maintenance rounds) fewer than r adjacent nodes go, counting leaves
// with crashes (a leaver's copies are only re-made by the next replica syncs), and crash events are at
// least CRASH_GAP rounds apart. Nothing may be lost at any point; once the churn stops the ring must
// settle to a perfect ring holding every value ever stored.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { isDhtError } from '../../src/node/errors.js'
import { adjacent, buildRing, Departures, failedLookups, keysOf, lostValues, sample, seeds, settle, show, storeValues, valuesNotOnOwner } from './helpers.js'

const NODES = 200
const REPLICAS = 3
const INITIAL_VALUES = 300
const TICKS = 60
/** Maintenance rounds that must pass after a crash before the next one. */
const CRASH_GAP = 3
const MAX_SETTLE_ROUNDS = 20
/** Rounds after which a departure no longer counts towards a run of r adjacent departures. */
const REPAIR_ROUNDS = 3

for (const seed of seeds([51, 52, 53, 54, 55])) {
  test(`churn: ${NODES} nodes, joins, leaves, crashes and stores (r = ${REPLICAS}, seed ${seed})`, async (t) => {
    const sim = await buildRing({ seed, nodes: NODES, config: { replicas: REPLICAS } })
    await settle(sim, { maxRounds: MAX_SETTLE_ROUNDS, fingers: true })
    const values = await storeValues(sim, INITIAL_VALUES, `churn-${seed}`)
    const counts = { join: 0, leave: 0, refused: 0, crash: 0, crashed: 0, store: 0, skipped: 0 }
    let roundsSinceCrash = CRASH_GAP
    const departures = new Departures(REPLICAS, REPAIR_ROUNDS)

    for (let tick = 0; tick < TICKS; tick++) {
      const where = `seed ${seed}, tick ${tick}`
      // A burst of 1-4 operations with no maintenance in between.
      const burst = 1 + sim.random.int(4)
      for (let op = 0; op < burst; op++) {
        const roll = sim.random.next()
        if (roll < 0.35) {
          await sim.join()
          counts.join++
        } else if (roll < 0.6 && sim.nodes.length > REPLICAS + 2) {
          const leaving = sim.random.pick(sim.nodes)
          if (!departures.allows(sim, [leaving])) {
            counts.skipped++
            continue
          }
          try {
            await sim.leave(leaving)
            departures.add([leaving])
            counts.leave++
          } catch (error) {
            // The one documented refusal: a node whose predecessor just failed does not know whom to
            // hand its keys to until stabilize and notify have run; it stays in the ring, unharmed.
            assert.ok(isDhtError(error, 'NOT_READY'), `${where}: leave failed: ${String(error)}`)
            assert.equal(leaving.predecessor, null, `${where}: leave refused although the predecessor is known`)
            assert.equal(leaving.status, 'ready', `${where}: a refused leave must leave the node running`)
            counts.refused++
          }
        } else if (roll < 0.8 && roundsSinceCrash >= CRASH_GAP && sim.nodes.length > REPLICAS + 2) {
          // One node, or r-1 adjacent ones at once: never r.
          const victims = adjacent(sim, 1 + sim.random.int(REPLICAS - 1))
          if (!departures.allows(sim, victims)) {
            counts.skipped++
            continue
          }
          for (const victim of victims) sim.crash(victim)
          departures.add(victims)
          counts.crash++
          counts.crashed += victims.length
          roundsSinceCrash = 0
        } else {
          // A STORE in the middle of churn must land and be found later like any other.
          const value = `value-churn-${seed}-late-${counts.store++}`
          try {
            await sim.random.pick(sim.nodes).storeValue(value)
          } catch (error) {
            assert.fail(`${where}: store of "${value}" failed: ${String(error)}`)
          }
          values.push(value)
        }
      }
      // Fingers are refreshed less often than stabilize runs, as with the real timers.
      await sim.maintain({ fingers: tick % 4 === 3 })
      roundsSinceCrash++
      departures.round++
      // Never, not even in the middle of the churn, is a value on no live node.
      const lost = lostValues(sim, values)
      assert.deepEqual(lost, [], `${where}: values lost during the churn ${sample(lost)}`)
    }

    const keys = keysOf(sim, values)
    const { rounds, violations } = await settle(sim, { storedKeys: keys, maxRounds: MAX_SETTLE_ROUNDS })
    t.diagnostic(
      `seed ${seed}: ${counts.join} joins, ${counts.leave} leaves (${counts.refused} refused: NOT_READY), ${counts.crash} crash events (${counts.crashed} nodes), ` +
        `${counts.store} stores during churn, ${counts.skipped} departures skipped (r adjacent); N = ${sim.nodes.length}; clean ${rounds} rounds after the churn stopped`,
    )
    assert.deepEqual(violations, [], `seed ${seed}: not clean ${rounds} rounds after the churn stopped: ${show(violations)}`)
    const lost = lostValues(sim, values)
    assert.deepEqual(lost, [], `seed ${seed}: values lost ${sample(lost)}`)
    assert.deepEqual(valuesNotOnOwner(sim, values), [], `seed ${seed}: values not on their owner`)
    // Lookups of a sample of values from random nodes.
    const probe = values.filter((_, i) => i % 5 === 0)
    const failed = await failedLookups(sim, probe)
    assert.deepEqual(failed, [], `seed ${seed}: lookups failed ${sample(failed)}`)
  })
}
