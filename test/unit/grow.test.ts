// Unit tests for addNodes (src/tools/grow.ts), the loop behind make addmany and the bench's growing rings,
// with a scripted "add one node" instead of processes.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { addNodes } from '../../src/tools/grow.js'

/** An add that fails on the attempts listed (1-based) and records how many run at once. */
function scriptedAdd(failOn: number[] = []) {
  let attempt = 0
  let inFlight = 0
  const seen = { attempts: 0, maxInFlight: 0 }
  const add = async (): Promise<number> => {
    const mine = ++attempt
    seen.attempts = attempt
    inFlight++
    seen.maxInFlight = Math.max(seen.maxInFlight, inFlight)
    await new Promise((resolve) => setImmediate(resolve))
    inFlight--
    if (failOn.includes(mine)) throw Object.assign(new Error(`attempt ${mine} failed`), { code: 'SPAWN' })
    return mine
  }
  return { add, seen }
}

test('one at a time by default; every node joined and timed', async () => {
  const { add, seen } = scriptedAdd()
  const result = await addNodes(5, add)
  assert.deepEqual(result.joined, [1, 2, 3, 4, 5])
  assert.equal(result.joinMs.length, 5)
  assert.ok(result.joinMs.every((ms) => ms >= 0))
  assert.equal(seen.maxInFlight, 1)
  assert.equal(result.stopped, undefined)
})

test('parallel: that many joins in flight at once, never more than count', async () => {
  const four = scriptedAdd()
  await addNodes(8, four.add, { parallel: 4 })
  assert.equal(four.seen.maxInFlight, 4)
  const all = scriptedAdd()
  await addNodes(3, all.add, { parallel: 10 })
  assert.equal(all.seen.maxInFlight, 3)
  assert.equal(all.seen.attempts, 3)
})

test('like make addmany: a failed join counts as done, and the failures come back as data', async () => {
  const { add, seen } = scriptedAdd([2, 4])
  const result = await addNodes(5, add)
  assert.equal(seen.attempts, 5)
  assert.deepEqual(result.joined, [1, 3, 5])
  assert.deepEqual(result.failures.map((f) => f.message), ['attempt 2 failed', 'attempt 4 failed'])
})

test('like the bench: a failed join is retried until count joined, or until maxFailures', async () => {
  const retried = await addNodes(4, scriptedAdd([2, 3]).add, { retryFailed: true, maxFailures: 5 })
  assert.deepEqual(retried.joined, [1, 4, 5, 6])
  assert.equal(retried.failures.length, 2)
  const givenUp = await addNodes(10, scriptedAdd([1, 2, 3]).add, { retryFailed: true, maxFailures: 3 })
  assert.equal(givenUp.stopped, 'failures')
  assert.deepEqual(givenUp.joined, [])
})

test('an aborted signal or a spent budget starts no new join', async () => {
  const controller = new AbortController()
  const { add, seen } = scriptedAdd()
  const aborted = await addNodes(5, add, { onJoined: (n) => n === 2 && controller.abort(), signal: controller.signal })
  assert.equal(aborted.stopped, 'aborted')
  assert.deepEqual(aborted.joined, [1, 2])
  assert.equal(seen.attempts, 2)
  const spent = await addNodes(5, scriptedAdd().add, { budgetSeconds: 0 })
  assert.equal(spent.stopped, 'budget')
})

test('nothing to add: no attempt', async () => {
  const { add, seen } = scriptedAdd()
  const result = await addNodes(0, add, { parallel: 4 })
  assert.deepEqual(result.joined, [])
  assert.equal(seen.attempts, 0)
})
