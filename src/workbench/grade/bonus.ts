// Bonus track: the monitor's content route, fingers making findNode take O(log N) hops, LEAVE handing
// the leaver's content to its predecessor, and content passing on JOIN (the joiner gets exactly its
// range and the predecessor lets it go). Copies are judged by what the node says it keeps (nodeinfo's
// replicas, 1 when it does not say): a value may sit on its owner and that many predecessors, no more.
import { eventually, inParallel } from './graded-ring.js'
import type { GradeTest, Level } from './grade-test.js'
import { checkOwner, randomKeyFrom } from './part2.js'
import { TrueRing } from './ring-view.js'
import { copiesOf, expectFound, placementRight, sentences, store } from './values.js'
import { fail, idOf, jsonObject, keyOf, shortNode } from './verdict.js'

const TIMEOUT_MS = 90_000
/** How long fingers may take to be built after the last join: a node refreshes them on a timer. */
const FINGER_WAIT_MS = 20_000
const HOP_RING = 16
const HOP_LOOKUPS = 48

const content: GradeTest = {
  id: 'bonus.content',
  name: 'GET /content: each value on its owner, nowhere it should not be (the monitor)',
  points: 3,
  timeoutMs: TIMEOUT_MS,
  async run(t) {
    const ring = t.ring()
    await ring.grow(4)
    const truth = ring.truth()
    const values = sentences(t.random, 'content', 16)
    t.step('storing 16 values')
    await inParallel(values, 4, (value) => store(t.probe, ring.randomMember(), value, truth))
    const copies = await copiesOf(t.probe, ring.members[0]!)
    t.step('reading every node\'s GET /content')
    await eventually(t.settleMs, () => placementRight(t.probe, ring.members, values, truth, copies))
  },
}

const fingers: GradeTest = {
  id: 'bonus.fingers',
  name: `fingers: findNode takes at most log2 N hops on average (N = ${HOP_RING})`,
  points: 4,
  timeoutMs: TIMEOUT_MS,
  async run(t) {
    const ring = t.ring()
    await ring.grow(HOP_RING)
    const truth = ring.truth()
    const bound = Math.log2(HOP_RING)
    const randomKey = randomKeyFrom((n) => t.random.int(n))
    t.step(`waiting up to ${FINGER_WAIT_MS / 1000} s for the fingers: mean hops of ${HOP_LOOKUPS} findNodes ≤ ${bound}`)
    await eventually(Math.max(t.settleMs, FINGER_WAIT_MS), async () => {
      const keys = Array.from({ length: HOP_LOOKUPS }, randomKey)
      const hops = await inParallel(keys, 4, async (key) => {
        const via = ring.randomMember()
        const reply = await t.probe.get(via, `/findnode?id=${key}`)
        checkOwner(reply, key, truth, `GET /findnode through ${shortNode(via)}`)
        const count = jsonObject(reply, 'GET /findnode').hops
        if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) fail('findNode\'s answer to say its "hops" (a whole number)', `hops = ${JSON.stringify(count)}`, reply)
        return count
      })
      const mean = hops.reduce((a, b) => a + b, 0) / hops.length
      if (mean > bound) fail(`mean hops ≤ log2 ${HOP_RING} = ${bound} over ${HOP_LOOKUPS} findNodes through random nodes`, `mean ${mean.toFixed(2)}, most ${Math.max(...hops)}: findNode is not using the fingers`)
    })
  },
}

const leave: GradeTest = {
  id: 'bonus.leave',
  name: 'LEAVE: the leaver hands its content to its predecessor, rewires and exits',
  points: 4,
  timeoutMs: TIMEOUT_MS,
  async run(t) {
    const ring = t.ring()
    await ring.grow(5)
    const truth = ring.truth()
    const values = sentences(t.random, 'leave', 20)
    t.step('storing 20 values')
    await inParallel(values, 4, (value) => store(t.probe, ring.randomMember(), value, truth))
    // The leaver: the node owning the most of them, so there is content to hand over.
    const owned = (id: string) => values.filter((v) => truth.owner(keyOf(v)).id === id).length
    const leaver = ring.members.reduce((best, node) => (owned(node.id) > owned(best.id) ? node : best))
    t.step(`POST /leave on ${shortNode(leaver)} (owns ${owned(leaver.id)} of the values)`)
    jsonObject(await t.probe.send(leaver, 'POST', '/leave'), `POST /leave on ${shortNode(leaver)}`)
    await ring.left(leaver)
    await ring.settled(`after ${shortNode(leaver)} left`)
    const after = ring.truth()
    t.step('looking every value up through every node left')
    const asks = values.flatMap((value) => ring.members.map((via) => ({ value, via })))
    await inParallel(asks, 4, ({ value, via }) => expectFound(t.probe, via, value, after))
  },
}

const joinContent: GradeTest = {
  id: 'bonus.join-content',
  name: 'content passing on JOIN: the joiner gets exactly its range, the predecessor deletes it',
  points: 4,
  timeoutMs: TIMEOUT_MS,
  async run(t) {
    const ring = t.ring()
    await ring.grow(4)
    const truth = ring.truth()
    const host = ring.members[0]!.host
    // Values first, then a joiner whose range will hold at least 5 of them.
    const pool = sentences(t.random, 'join-content', 200)
    const ownedBy = (id: string, port: number) => {
      const future = new TrueRing([...ring.members, { id, host, port }])
      return pool.filter((v) => future.owner(keyOf(v)).id === id)
    }
    const port = await ring.portWhere((id) => ownedBy(id, 0).length >= 5)
    const joinerId = idOf(host, port)
    const mine = ownedBy(joinerId, port)
    const moving = mine.slice(0, 8)
    const staying = pool.filter((v) => !mine.includes(v)).slice(0, 16)
    const values = [...moving, ...staying]
    t.step(`storing ${values.length} values, ${moving.length} of them in the joiner's future range`)
    await inParallel(values, 4, (value) => store(t.probe, ring.randomMember(), value, truth))
    const copies = await copiesOf(t.probe, ring.members[0]!)
    const joiner = await ring.join({ port })
    await ring.settled(`after ${shortNode(joiner)} joined`)
    const after = ring.truth()
    t.step("reading every node's GET /content")
    await eventually(t.settleMs, () => placementRight(t.probe, ring.members, values, after, copies))
    t.step('looking the values up through the joiner')
    await inParallel(values, 4, (value) => expectFound(t.probe, joiner, value, after))
  },
}

export const BONUS: Level = { key: 'bonus', title: 'Bonus', tests: [content, fingers, leave, joinContent] }
