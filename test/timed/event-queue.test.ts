// The timed simulator's clock: the event queue pops in time order (ties in scheduling order, cancelled
// events skipped), and the timeline runs every microtask an event starts before the next event, so
// protocol code woken by an event sees that event's time.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { EventQueue } from '../../src/workbench/sim/event-queue.js'
import { SeededRandom } from '../../src/workbench/sim/random.js'
import { Timeline } from '../../src/workbench/sim/timeline.js'

test('the event queue pops 5,000 random events in time order, ties in the order they were pushed', () => {
  const queue = new EventQueue()
  const random = new SeededRandom(7)
  const pushed = Array.from({ length: 5000 }, (_, i) => ({ at: random.int(200), i }))
  for (const event of pushed) queue.push(event.at, () => {})
  const popped: Array<{ at: number; seq: number }> = []
  for (let event = queue.pop(); event; event = queue.pop()) popped.push({ at: event.at, seq: event.seq })
  const expected = [...pushed].sort((a, b) => a.at - b.at || a.i - b.i).map((e) => ({ at: e.at, seq: e.i }))
  assert.deepEqual(popped, expected)
})

test('a cancelled event never comes up; the others keep their order', () => {
  const queue = new EventQueue()
  for (const at of [5, 1, 3, 1, 4]) queue.push(at, () => {}) // seq 0 … 4
  queue.push(2, () => {}).cancelled = true // seq 5
  queue.push(2, () => {}) // seq 6
  const order: number[] = []
  for (let event = queue.pop(); event; event = queue.pop()) order.push(event.seq)
  assert.deepEqual(order, [1, 3, 6, 2, 4, 0])
  assert.equal(queue.pop(), undefined)
  assert.throws(() => queue.push(Number.NaN, () => {}), RangeError)
})

test('the timeline runs events in time order and drains the microtasks each one starts before the next', async () => {
  const timeline = new Timeline(1000)
  const seen: string[] = []
  // A chain of awaits started by the event at 10 ms must finish at 10 ms, before the event at 10.5 ms.
  timeline.after(10, () => {
    void (async () => {
      for (let i = 0; i < 50; i++) await Promise.resolve()
      seen.push(`chain at ${timeline.time}`)
      timeline.after(5, () => seen.push(`timer at ${timeline.time}`))
    })()
  })
  timeline.after(10.5, () => seen.push(`event at ${timeline.time}`))
  const cancelled = timeline.setTimer(() => seen.push('cancelled'), 1)
  timeline.clearTimer(cancelled)
  await timeline.runUntil(1020)
  assert.deepEqual(seen, ['chain at 1010', 'event at 1010.5', 'timer at 1015'])
  assert.equal(timeline.time, 1020)
  assert.equal(timeline.now(), 1020)
})

test('settle runs events until the work is done, and reports a deadlock when events run out first', async () => {
  const timeline = new Timeline(0)
  const wait = (ms: number) => new Promise<number>((resolve) => timeline.after(ms, () => resolve(timeline.time)))
  assert.equal(await timeline.settle((async () => (await wait(30)) + (await wait(20)))()), 80)
  assert.equal(timeline.time, 50)
  await assert.rejects(timeline.settle(new Promise(() => {})), /ran out of events/)
})
