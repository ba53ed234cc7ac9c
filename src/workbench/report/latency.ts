// Phase "latency": one client, one request at a time, each to a random node. First the parts (a ping,
// with no routing; a findnode, routing alone), then stores and lookups, so a lookup splits into hops.
import { info, ok } from '../../tools/output.js'
import type { BenchRing } from './bench-ring.js'
import { vsFloorLatency, type FloorResult } from './floor.js'
import { ms, msPair } from './format.js'
import { idleCpuRate, type IdleResult } from './idle.js'
import { sequential, type LoadResult } from './load.js'
import { measureWindow, type Window } from './measure.js'
import { lookupOperation, missOperation, newOpStats, randomId, randomItem, storeOperation, type OpStats } from './operations.js'
import { summarize, type Summary } from './stats.js'
import type { Section } from './table.js'
import { target } from './targets.js'

export interface LatencyPlan {
  pings: number
  stores: number
  lookups: number
  /** Lookups of values never stored: what a miss costs (the owner's answer lacks it, so the other holders are asked). */
  misses: number
}

export interface TimedOperations extends LoadResult {
  hops: Summary
  exchangesPerOp: number
}

export interface LatencyResult {
  /** GET /ping to the same node back to back: the server stack alone. */
  pingOne: LoadResult
  /** GET /ping to a random node each time (a sleeping process wakes up). */
  ping: LoadResult & { cpu: Window; cpuUsPerRequest: number }
  findnode: TimedOperations
  lookup: TimedOperations
  /** Lookups answered NOT_FOUND. */
  miss: LoadResult
  store: TimedOperations
}

const timed = (result: LoadResult, stats: OpStats): TimedOperations => ({ ...result, hops: summarize(stats.hops), exchangesPerOp: summarize(stats.exchanges).mean })

/** Measures; also returns the values it stored, for the phases that look values up later. */
export async function measureLatency(ring: BenchRing, idle: IdleResult, plan: LatencyPlan): Promise<{ latency: LatencyResult; stored: string[] }> {
  info(`latency: ${plan.pings} pings to one node and to random nodes, ${plan.pings} findnodes, ${plan.stores} stores, then ${plan.lookups} lookups and ${plan.misses} of absent values, one at a time`)
  const { client } = ring
  const processes = ring.processes()
  const one = processes[0]!
  const pingOne = await sequential(plan.pings, () => client.http.request(one, 'GET', '/ping'))
  const pings = await measureWindow(ring.pids(), ring.ports(), () => sequential(plan.pings, () => client.http.request(randomItem(processes), 'GET', '/ping')))
  // CPU per ping, with the ring's own maintenance taken out.
  const pingCpu = pings.cpu.nodesCpu - idleCpuRate(idle) * pings.cpu.seconds + pings.cpu.clientCpu
  const findStats = newOpStats()
  const findnode = await sequential(plan.pings, async () => {
    const reply = await client.findNode(randomItem(processes), randomId())
    findStats.hops.push(reply.hops)
    findStats.exchanges.push(1 + reply.hops)
  })
  const stored: string[] = []
  const storeStats = newOpStats()
  const store = await sequential(plan.stores, storeOperation(client, processes, ring.settings.replicas, 'bench', stored, storeStats))
  await sequential(100, lookupOperation(client, processes, stored)) // warm up every connection the lookups use
  const lookupStats = newOpStats()
  const lookup = await sequential(plan.lookups, lookupOperation(client, processes, stored, lookupStats))
  const miss = await sequential(plan.misses, missOperation(client, processes))
  const latency: LatencyResult = {
    pingOne,
    ping: { ...pings.result, cpu: pings.cpu, cpuUsPerRequest: (pingCpu / pings.result.ok) * 1e6 },
    findnode: timed(findnode, findStats),
    lookup: timed(lookup, lookupStats),
    miss,
    store: timed(store, storeStats),
  }
  ok(
    `latency: lookup p50 ${ms(lookup.latencyMs.p50)} p99 ${ms(lookup.latencyMs.p99)} (${lookup.errors} errors); ` +
      `store p50 ${ms(store.latencyMs.p50)} p99 ${ms(store.latencyMs.p99)} (${store.errors} errors)`,
  )
  return { latency, stored }
}

export function latencySection(latency: LatencyResult, floor: FloorResult, ringSize: number): Section {
  const f = floor.single.latencyMs
  const { pingOne, ping, findnode, lookup, miss, store } = latency
  const pair = (l: Summary) => msPair(l.p50, l.p99)
  return {
    title: `latency at N=${ringSize}: one client, one request at a time, random entry node`,
    rows: [
      { metric: 'ping, same node, p50 / p99', value: pair(pingOne.latencyMs), vs: vsFloorLatency(pingOne.latencyMs, f), note: 'the server stack alone' },
      { metric: 'ping, random node, p50 / p99', value: pair(ping.latencyMs), vs: vsFloorLatency(ping.latencyMs, f), note: `${ping.cpuUsPerRequest.toFixed(0)} µs CPU per ping` },
      { metric: 'findnode (routing), p50 / p99', value: pair(findnode.latencyMs), vs: vsFloorLatency(findnode.latencyMs, f), note: `${findnode.exchangesPerOp.toFixed(2)} exchanges` },
      {
        metric: 'lookup p50 / p99',
        value: pair(lookup.latencyMs),
        vs: vsFloorLatency(lookup.latencyMs, f),
        target: target({ metric: `lookup p50, N = ${ringSize}`, value: lookup.latencyMs.p50, unit: 'ms' }, '<', 1),
        targetLabel: 'p50 < 1 ms',
      },
      { metric: '  hops, exchanges per lookup', value: `${lookup.hops.mean.toFixed(2)}, ${lookup.exchangesPerOp.toFixed(2)}`, note: `${lookup.ok} ok, ${lookup.errors} errors` },
      {
        metric: 'lookup of an absent value p50 / p99',
        value: pair(miss.latencyMs),
        vs: `${(miss.latencyMs.p50 / lookup.latencyMs.p50).toFixed(2)}× hit`,
        note: `NOT_FOUND only after the owner's predecessors are asked too; ${miss.ok} misses, ${miss.errors} errors`,
      },
      { metric: 'store p50 / p99', value: pair(store.latencyMs), vs: vsFloorLatency(store.latencyMs, f), note: `${store.ok} ok, ${store.errors} errors` },
    ],
  }
}
