// make web's fault actions (POST /api/slow, /api/drop, /api/partition, /api/heal), each made through
// the functions make slow, drop, partition and heal use (src/workbench/faults/ring-faults.ts), and the reading of
// the nodes' plans for /api/ring: GET /faults of every node while the snapshot is taken, at most
// MAX_PLAN_READS_PER_POLL of them a poll (the longest unread first), so a large ring costs no more
// than a 64-node one and each plan there is at most ⌈N/64⌉ polls old.
import { DhtError, errorMessage } from '../../node/errors.js'
import type { OpenRing } from '../../tools/open-ring.js'
import type { RingClient } from '../../tools/ring-client.js'
import type { NodeSnapshot } from '../../tools/ring-snapshot.js'
import { onePerProcess } from '../../tools/ring-processes.js'
import { changeEach, healAll, partition, partitionSide, ringNodes, type Changes, type FaultNode } from '../faults/ring-faults.js'
import { SETTINGS } from '../../node/settings.js'
import { asArray, asInteger, bad, type Json } from '../../node/wire.js'
import { changeSummary, changesJson, PlanBook } from './fault-view.js'

/** Plans read on one poll at most. */
export const MAX_PLAN_READS_PER_POLL = 64
/** A node named in a partition's side: a port, or host:port (no commas: they separate names). */
const NODE_NAME = /^[^,\s]+$/

const addressOf = (node: { host: string; port: number }) => `${node.host}:${node.port}`

/** What the actions need of the web server. */
export interface FaultContext {
  /** The recorded ring and a client for it, as the server reads it now; its entry() refuses an unknown port with 404 NOT_FOUND. */
  open(): OpenRing
  book: PlanBook
}

/**
 * Reads the plans that are due of the snapshot's nodes: those that answered, and the recorded processes
 * that did not (a node slower than the timeout still answers GET /faults at once: it is never held).
 * A node that does not answer is recorded as such; the page then shows its plan as unknown.
 */
export async function readPlans(client: RingClient, nodes: readonly NodeSnapshot[], book: PlanBook): Promise<void> {
  // One read per process: its virtual nodes (VNODES=v) share one fault plan.
  const askable = onePerProcess(nodes.filter((n) => n.info || n.pid !== undefined))
  book.keepOnly(nodes.map(addressOf))
  const due = new Set(book.due(askable.map(addressOf), MAX_PLAN_READS_PER_POLL))
  await Promise.all(
    askable
      .filter((n) => due.has(addressOf(n)))
      .map(async (n) => {
        const began = book.begin()
        const reading = await client.faults(n).then(
          (plan) => ({ plan }),
          (error: unknown) => ({ error: errorMessage(error) }),
        )
        book.record(addressOf(n), reading, began)
      }),
  )
}

/** The four actions, each answering what changed on which node, and a line saying so. */
export function faultActions(context: FaultContext) {
  /** Records what the nodes answered, and refuses an action that changed nothing because every node failed. */
  const answer = (changes: Changes, summary: string, extra: Record<string, Json> = {}): Json => {
    for (const c of changes.changed) context.book.record(c.node.address, { plan: c.after })
    if (changes.changed.length === 0 && changes.failed.length > 0) throw new DhtError('PEER_ERROR', summary)
    return { summary, ...(changesJson(changes) as Record<string, Json>), ...extra }
  }
  const allNodes = async (): Promise<{ ring: OpenRing; nodes: FaultNode[] }> => {
    const ring = context.open()
    return { ring, nodes: await ringNodes(ring) }
  }

  return {
    /** POST /api/slow { port?, ms? }: the node (a random one without) holds every request it handles `ms` (200) first; 0 ends it. */
    async slow(body: Record<string, unknown>): Promise<Json> {
      const ring = context.open()
      const port = body.port === undefined || body.port === null ? undefined : asInteger(body.port, 'port', 1, 65535)
      const { min, max, default: standard } = SETTINGS.slowMs
      const slowMs = body.ms === undefined ? standard : asInteger(body.ms, 'ms', min, max)
      const node = ring.entry(port)
      const changes = await changeEach(ring.client, [{ id: node.id, host: node.host, port: node.port, address: addressOf(node) }], (plan) => ({ ...plan, slowMs }))
      return answer(changes, changeSummary.slow(changes, slowMs))
    },

    /** POST /api/drop { rate }: every node loses each call to another node with that probability; 0 ends it. */
    async drop(body: Record<string, unknown>): Promise<Json> {
      const { min, max } = SETTINGS.dropRate
      const rate = body.rate
      if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < min || rate > max) throw bad(`rate must be a number from ${min} to ${max} (the chance that a call is lost)`)
      const { ring, nodes } = await allNodes()
      const changes = await changeEach(ring.client, nodes, (plan) => ({ ...plan, dropRate: rate }))
      return answer(changes, changeSummary.drop(changes, rate))
    },

    /**
     * POST /api/partition { ports: [5001, "10.0.0.2:5002"] }: those nodes (ports, or host:port) and the
     * rest of the ring cannot reach each other, as with make partition PORTS=; it refuses what that refuses.
     */
    async partition(body: Record<string, unknown>): Promise<Json> {
      const names = asArray(body.ports, 'ports').map((item, i) => {
        if (typeof item === 'number') return String(asInteger(item, `ports[${i}]`, 1, 65535))
        if (typeof item === 'string' && NODE_NAME.test(item)) return item
        throw bad(`ports[${i}] must be a port or host:port`)
      })
      const { ring, nodes } = await allNodes()
      // No names: partition() refuses the empty side in the words make partition uses.
      const side = names.length === 0 ? [] : partitionSide(nodes, names.join(','))
      const rest = nodes.filter((n) => !side.includes(n))
      const changes = await partition(ring.client, nodes, side)
      const ports = (list: readonly FaultNode[]) => list.map((n) => ({ id: n.id, host: n.host, port: n.port }))
      return answer(changes, changeSummary.partition(changes, side, rest), { side: ports(side), rest: ports(rest) })
    },

    /** POST /api/heal: every fault of every node cleared, the delay included. */
    async heal(): Promise<Json> {
      const { ring, nodes } = await allNodes()
      const changes = await healAll(ring.client, nodes)
      return answer(changes, changeSummary.heal(changes))
    },
  }
}
