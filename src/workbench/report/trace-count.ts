// Messages per operation, counted from the ring's own traces: the operation runs inside a new trace
// (its request carries the traceparent), then every node's log of that trace is read and merged, one
// message per span, as make trace draws it. The bench reports these beside hops.
import type { CallOptions } from '../../tools/ring-client.js'
import { collectTrace, newestMessages } from '../../tools/trace-collect.js'
import { newTrace } from '../terminal/trace-print.js'
import type { BenchRing } from './bench-ring.js'
import { summarize, type Summary } from './stats.js'

/** Runs `operation` `count` times, each in a trace of its own; the messages each trace holds. */
export async function messagesPerOperation(ring: BenchRing, count: number, operation: (options: CallOptions, index: number) => Promise<unknown>): Promise<Summary> {
  const counts: number[] = []
  for (let i = 0; i < count; i++) {
    const trace = newTrace()
    await operation({ traceparent: trace.traceparent }, i)
    const state = ring.state.read()
    if (!state) break
    const collected = await collectTrace(ring.client, state, trace.traceId)
    counts.push(collected.messages.length)
  }
  return summarize(counts)
}

/** Messages the nodes sent per node per second while `work` ran (their logs' sent side), e.g. maintenance of an idle ring. */
export async function messagesSentPerNodePerSecond(ring: BenchRing, work: () => Promise<void>): Promise<number> {
  const since = Date.now()
  const started = performance.now()
  await work()
  const seconds = (performance.now() - started) / 1000
  const processes = ring.processes()
  const counts = await Promise.all(
    processes.map(async (p) => {
      const { messages } = await newestMessages(ring.client, p, since)
      return messages.filter((m) => m.side === 'sent').length
    }),
  )
  return counts.reduce((a, b) => a + b, 0) / processes.length / seconds
}
