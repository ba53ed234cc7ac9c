// Beyond the handout: what a ring under churn needs. Joins at once into one gap must converge, a
// SIGKILL of r−1 adjacent nodes (at least one) must lose nothing, deletes made while nodes join must
// stay deleted, and hostile input must get a 4xx while the node keeps running.
import { between } from '../../node/ring.js'
import { eventually, inParallel, type GradedRing } from './graded-ring.js'
import type { GradeTest, Level, TestContext } from './grade-test.js'
import type { LaunchedNode } from './launcher.js'
import type { TrueRing } from './ring-view.js'
import { copiesOf, expectAbsent, expectFound, remove, sentences, store } from './values.js'
import { errorReply, fail, idOf, isGradeFailure, jsonObject, keyOf, shortNode, type GradeFailure } from './verdict.js'

const TIMEOUT_MS = 120_000
/** How long a ring may take to repair itself after crashes: failure detection, then stabilize. */
const CRASH_WAIT_MS = 15_000
const CONCURRENT_JOINERS = 5

const big = (id: string) => BigInt(`0x${id}`)

async function storeAll(t: TestContext, ring: GradedRing, values: readonly string[]): Promise<void> {
  t.step(`storing ${values.length} values`)
  const truth = ring.truth()
  await inParallel(values, 4, (value) => store(t.probe, ring.randomMember(), value, truth))
}

/** The values not found through a random member, each with why: the loss a failure should show. */
async function lostValues(t: TestContext, ring: GradedRing, values: readonly string[], truth: TrueRing): Promise<GradeFailure[]> {
  const lost: GradeFailure[] = []
  await inParallel(values, 4, async (value) => {
    try {
      await expectFound(t.probe, ring.randomMember(), value, truth)
    } catch (error) {
      if (!isGradeFailure(error)) throw error
      lost.push(error)
    }
  })
  return lost
}

function failLost(lost: readonly GradeFailure[], total: number, when: string): void {
  if (lost.length === 0) return
  const first = lost[0]!
  fail(`every one of the ${total} values found ${when}`, `${lost.length} not found; the first: ${first.seen}`, first.exchange)
}

const concurrentJoins: GradeTest = {
  id: 'beyond.concurrent-joins',
  name: `concurrent joins: ${CONCURRENT_JOINERS} nodes joining at once into one gap converge`,
  points: 4,
  timeoutMs: TIMEOUT_MS,
  async run(t) {
    const ring = t.ring()
    await ring.grow(3)
    const values = sentences(t.random, 'concurrent', 12)
    await storeAll(t, ring, values)
    const first = [...ring.members]
    const truth = ring.truth()
    const gapStart = truth.sorted[0]!
    const gapEnd = truth.successorOf(gapStart)
    const ports: number[] = []
    const ids = new Set<string>()
    for (let i = 0; i < CONCURRENT_JOINERS; i++) {
      const port = await ring.portWhere((id) => !ids.has(id) && between(big(id), big(gapStart.id), big(gapEnd.id)))
      ports.push(port)
      ids.add(idOf(ring.members[0]!.host, port))
    }
    t.step(`${CONCURRENT_JOINERS} nodes joining at once between ${shortNode(gapStart)} and ${shortNode(gapEnd)}`)
    await Promise.all(ports.map((port) => ring.join({ port, via: t.random.pick(first) })))
    await ring.settled(`after ${CONCURRENT_JOINERS} nodes joined at once`)
    t.step('looking the values up')
    await eventually(t.settleMs, async () => failLost(await lostValues(t, ring, values, ring.truth()), values.length, 'after the joins'))
  },
}

const crash: GradeTest = {
  id: 'beyond.crash',
  name: 'a SIGKILL of r−1 adjacent nodes (at least one) loses nothing',
  points: 4,
  timeoutMs: TIMEOUT_MS,
  async run(t) {
    const ring = t.ring()
    await ring.grow(6)
    const copies = await copiesOf(t.probe, ring.members[0]!)
    const victims = Math.max(1, copies - 1)
    const values = sentences(t.random, 'crash', 24)
    await storeAll(t, ring, values)
    // The run of adjacent nodes owning the most values, so the crash takes something with it.
    const truth = ring.truth()
    const owned = (node: LaunchedNode) => values.filter((v) => truth.owner(keyOf(v)).id === node.id).length
    const sorted = truth.sorted.map((n) => ring.members.find((m) => m.id === n.id)!)
    const runs = sorted.map((_, i) => Array.from({ length: victims }, (_, j) => sorted[(i + j) % sorted.length]!))
    const chosen = runs.reduce((best, run) => (run.reduce((s, n) => s + owned(n), 0) > best.reduce((s, n) => s + owned(n), 0) ? run : best))
    const held = chosen.reduce((s, n) => s + owned(n), 0)
    await ring.crash(chosen)
    const when = `after a SIGKILL of ${victims} adjacent node${victims > 1 ? 's' : ''} owning ${held} values (the node keeps ${copies} cop${copies > 1 ? 'ies' : 'y'} of each)`
    t.step(`waiting up to ${CRASH_WAIT_MS / 1000} s for the ring to repair itself`)
    try {
      await eventually(Math.max(t.settleMs, CRASH_WAIT_MS), () => ring.pointersRight(when))
    } catch (error) {
      // Say what was lost too, when the ring still answers lookups.
      if (!isGradeFailure(error)) throw error
      const lost = await lostValues(t, ring, values, ring.truth())
      fail(error.expected, `${error.seen}${lost.length > 0 ? `; and ${lost.length} of ${values.length} values not found (first: ${lost[0]!.seen})` : ''}`, error.exchange)
    }
    t.step('looking the values up')
    await eventually(t.settleMs, async () => failLost(await lostValues(t, ring, values, ring.truth()), values.length, when))
  },
}

const deletes: GradeTest = {
  id: 'beyond.deletes',
  name: 'deletes made while nodes join stay deleted',
  points: 4,
  timeoutMs: TIMEOUT_MS,
  async run(t) {
    const ring = t.ring()
    await ring.grow(4)
    const values = sentences(t.random, 'deletes', 16)
    await storeAll(t, ring, values)
    const gone = values.slice(0, 8)
    const kept = values.slice(8)
    const first = [...ring.members]
    t.step('3 nodes joining while 8 values are deleted')
    await Promise.all([...[0, 1, 2].map(() => ring.join({ via: t.random.pick(first) })), ...gone.map((value) => remove(t.probe, t.random.pick(first), value))])
    await ring.settled('after the joins')
    const check = async (when: string) => {
      const truth = ring.truth()
      await inParallel(gone, 4, (value) => expectAbsent(t.probe, ring.randomMember(), value, `deleted ${when}`))
      failLost(await lostValues(t, ring, kept, truth), kept.length, when)
    }
    await eventually(t.settleMs, () => check('during the joins'))
    // Stays deleted: a copy handed over or synced later must not bring a value back.
    t.step('checking again a moment later')
    await new Promise((resolve) => setTimeout(resolve, 2000))
    for (const via of ring.members) for (const value of gone) await expectAbsent(t.probe, via, value, 'deleted during the joins, asked again 2 s later')
  },
}

const hostile: GradeTest = {
  id: 'beyond.hostile',
  name: 'hostile input gets a 4xx and the node keeps running',
  points: 3,
  timeoutMs: TIMEOUT_MS,
  async run(t) {
    const ring = t.ring()
    await ring.grow(2)
    const node = ring.members[0]!
    const other = ring.members[1]!
    const peer = { id: other.id, host: other.host, port: other.port }
    const deep = '['.repeat(100_000) + ']'.repeat(100_000)
    const cases: Array<{ what: string; method: string; path: string; body?: unknown; raw?: string | Buffer; auth?: boolean | string; status?: number }> = [
      { what: 'a write without the secret', method: 'PUT', path: '/successor', body: peer, auth: false, status: 401 },
      { what: 'a write with a wrong secret', method: 'PUT', path: '/predecessor', body: peer, auth: 'not-the-cluster-secret-at-all', status: 401 },
      { what: 'a STORE without the secret', method: 'POST', path: '/store', body: { value: 'sneaky' }, auth: false, status: 401 },
      { what: 'a body that is not JSON', method: 'POST', path: '/store', raw: 'value=hello' },
      { what: 'a JSON array for a body', method: 'POST', path: '/store', body: ['hello'] },
      { what: 'a value that is an object', method: 'POST', path: '/store', body: { value: { $gt: '' } } },
      { what: 'a port out of range', method: 'PUT', path: '/predecessor', body: { host: '127.0.0.1', port: 99999 } },
      { what: 'a host with spaces', method: 'PUT', path: '/successor', body: { host: 'no such host', port: 80 } },
      { what: 'an id that is not hex', method: 'PUT', path: '/successor', body: { id: 'z'.repeat(40), host: other.host, port: other.port } },
      { what: 'an id that is not hex', method: 'GET', path: '/findnode?id=not-hex' },
      { what: 'an id longer than the space', method: 'GET', path: `/findnode?id=${'f'.repeat(41)}` },
      { what: 'no id', method: 'GET', path: '/findnode' },
      { what: 'JSON nested 100,000 deep', method: 'POST', path: '/store', raw: deep },
      { what: 'a 16 MiB body', method: 'POST', path: '/store', raw: Buffer.alloc(16 * 1024 * 1024, 0x61) },
      { what: 'a path that climbs out', method: 'GET', path: '/../../etc/passwd' },
    ]
    for (const c of cases) {
      t.step(`${c.method} ${c.path.slice(0, 40)}: ${c.what}`)
      const reply = await t.probe.call(node, c.method, c.path, {
        auth: c.auth ?? true,
        ...(c.body === undefined ? {} : { body: c.body }),
        ...(c.raw === undefined ? {} : { raw: c.raw }),
        timeoutMs: 10_000,
      })
      errorReply(reply, `${c.method} ${c.path.slice(0, 60)} with ${c.what}`, c.status)
      if (node.exit) fail(`the node to keep running after ${c.what}`, 'it exited')
      jsonObject(await t.probe.get(node, '/nodeinfo'), `GET /nodeinfo after ${c.what} (the node still running)`, 200)
    }
    await ring.pointersRight('after the hostile requests')
  },
}

export const BEYOND: Level = { key: 'beyond', title: 'Beyond', tests: [concurrentJoins, crash, deletes, hostile] }
