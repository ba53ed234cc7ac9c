// The maintenance scheduler on a manual clock: jittered periods, a task never running twice at once,
// errors reported without stopping the task, the wrapper seeing every run, and stop() ending it all.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Scheduler, type Task } from '../../src/node/protocol/scheduler.js'
import { SeededRandom } from '../../src/workbench/sim/random.js'
import { ManualClock } from '../../src/workbench/sim/manual-clock.js'

/** A task whose runs finish only when the test lets them. */
function controlledTask(name: string, periodMs: number) {
  const starts: number[] = []
  const finishers: Array<() => void> = []
  const task: Task = {
    name,
    periodMs,
    run: () => new Promise<void>((resolve) => {
      starts.push(starts.length)
      finishers.push(resolve)
    }),
  }
  return { task, starts, finishAll: () => finishers.splice(0).forEach((finish) => finish()) }
}

test('each wait is the period within the jitter, drawn afresh every time', () => {
  const random = new SeededRandom(7)
  const scheduler = new Scheduler([], { clock: new ManualClock(), jitter: 0.2, random: () => random.next() })
  const task: Task = { name: 't', periodMs: 1000, run: async () => {} }
  const waits = Array.from({ length: 200 }, () => scheduler.delayOf(task))
  assert.ok(waits.every((w) => w >= 800 && w <= 1200), `waits outside 1000 ± 20%: ${waits.filter((w) => w < 800 || w > 1200)}`)
  assert.ok(new Set(waits).size > 50, 'the jitter varies')
})

test('a task is re-armed only after its previous run finished: a slow run never overlaps the next', async () => {
  const clock = new ManualClock()
  const { task, starts, finishAll } = controlledTask('slow', 100)
  const scheduler = new Scheduler([task], { clock, jitter: 0 })
  scheduler.start()
  clock.advance(100)
  assert.equal(starts.length, 1)
  clock.advance(1000) // the run has not finished: nothing new starts
  assert.equal(starts.length, 1)
  finishAll()
  await scheduler.idle()
  clock.advance(99)
  assert.equal(starts.length, 1, 'the next period starts when the run finished')
  clock.advance(1)
  assert.equal(starts.length, 2)
  finishAll()
  await scheduler.idle()
  scheduler.stop()
})

test('a failing run is reported and the task keeps its schedule; the wrapper sees every run; stop ends it', async () => {
  const clock = new ManualClock()
  const errors: string[] = []
  const wrapped: string[] = []
  let runs = 0
  const scheduler = new Scheduler(
    [
      {
        name: 'flaky',
        periodMs: 10,
        run: async () => {
          if (++runs % 2 === 1) throw new Error(`run ${runs} failed`)
        },
      },
      { name: 'steady', periodMs: 25, run: async () => {} },
    ],
    { clock, jitter: 0, onError: (task, message) => errors.push(`${task}: ${message}`), wrap: (task, run) => (wrapped.push(task), run()) },
  )
  scheduler.start()
  for (let i = 0; i < 10; i++) {
    clock.advance(5)
    await scheduler.idle()
  }
  scheduler.stop()
  assert.equal(runs, 5)
  assert.deepEqual(errors, ['flaky: run 1 failed', 'flaky: run 3 failed', 'flaky: run 5 failed'])
  assert.deepEqual(wrapped.filter((w) => w === 'steady').length, 2)
  assert.equal(clock.pending, 0, 'stop clears every timer')
  clock.advance(1000)
  await scheduler.idle()
  assert.equal(runs, 5, 'nothing runs after stop')
})

test('quiet rounds double the wait up to the task\'s longest; a busy round brings it back', async () => {
  const clock = new ManualClock()
  const outcomes: Array<'quiet' | 'changed'> = ['quiet', 'quiet', 'quiet', 'quiet', 'changed', 'quiet']
  const ranAt: number[] = []
  const scheduler = new Scheduler(
    [{ name: 'stabilize', periodMs: 100, maxPeriodMs: 400, run: async () => (ranAt.push(clock.now()), outcomes.shift() ?? 'quiet') }],
    { clock, jitter: 0 },
  )
  scheduler.start()
  for (let step = 0; step < 200 && ranAt.length < 7; step++) {
    clock.advance(10)
    await scheduler.idle()
  }
  scheduler.stop()
  const waits = ranAt.slice(1).map((at, i) => at - ranAt[i]!)
  assert.deepEqual(waits, [200, 400, 400, 400, 100, 200], 'doubling, capped at 400; back to 100 after the busy round')
})

test('snapBack: any change brings every task back to its period at once, even one waiting long', async () => {
  const clock = new ManualClock()
  let runs = 0
  const scheduler = new Scheduler([{ name: 'fix_fingers', periodMs: 100, maxPeriodMs: 1600, run: async () => (runs++, 'quiet') }], { clock, jitter: 0 })
  scheduler.start()
  // Quiet rounds at 100, 300, 700, 1500: the next one is 1600 later, at 3100.
  for (let step = 0; step < 160; step++) {
    clock.advance(10)
    await scheduler.idle()
  }
  assert.equal(runs, 4)
  assert.equal(scheduler.periodOf('fix_fingers'), 1600)
  scheduler.snapBack()
  assert.equal(scheduler.periodOf('fix_fingers'), 100)
  clock.advance(100)
  await scheduler.idle()
  assert.equal(runs, 5, 'it ran one period after the change, not at 3100')
  scheduler.stop()
})
