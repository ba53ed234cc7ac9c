// Tracing in the simulator: the in-memory transport records the same messages as processes do. A
// lookup's trace is one message per hop, and lookups at the same time, their messages interleaved out
// of order, never mix.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mergeTrace, type Message } from '../../src/node/trace/messages.js'
import { newSpanId, newTraceId } from '../../src/node/trace/trace-context.js'
import type { SimRing } from '../../src/workbench/sim/sim-ring.js'
import { buildRing, seeds, settle, storeValues } from './helpers.js'

function traceOf(sim: SimRing, traceId: string): Message[] {
  return mergeTrace([...sim.tracers.values()].flatMap((tracer) => tracer.log.trace(traceId)))
}

for (const seed of seeds([101, 102])) {
  test(`lookups traced in memory: one routing message per hop, each trace its own, with messages out of order (seed ${seed})`, async () => {
    const traced = await buildRing({ seed, nodes: 24, reorder: 3, trace: 10_000 })
    await settle(traced, { maxRounds: 20, fingers: true })
    const values = await storeValues(traced, 30, `trace-${seed}`)
    const runs = await Promise.all(
      values.map(async (value) => {
        const entry = traced.random.pick(traced.nodes)
        const context = { traceId: newTraceId(), spanId: newSpanId() }
        const result = await entry.within(context).lookupValue(value)
        return { context, result, entry }
      }),
    )
    for (const { context, result, entry } of runs) {
      const messages = traceOf(traced, context.traceId)
      const where = `seed ${seed}, lookup from ${entry.self.port}`
      assert.equal(messages.length, result.hops, `${where}: ${messages.map((m) => `${m.from?.port}→${m.to?.port} ${m.path}`).join(', ')}`)
      assert.ok(messages.every((m) => m.path === '/route' && m.from?.port === entry.self.port && m.parentId === context.spanId), where)
      assert.deepEqual(messages.map((m) => m.to?.port), result.path.slice(1).map((p) => p.port), `${where}: the hops are the route's path`)
    }
  })
}
