// Reading messages back from the running ring: the nodes the tools can find (the recorded processes
// and any node found by walking successors), one trace collected from all of them and merged, and one
// node's newest messages for make messages. Each node keeps only its own log, so a trace is the union.
import { errorMessage, ToolError } from '../node/errors.js'
import { mergeTrace, parseMessages, type Message } from '../node/trace/messages.js'
import type { Address } from '../node/transport/http-client.js'
import { asObject, bad } from '../node/wire.js'
import type { NetworkState } from './network-state.js'
import type { RingClient } from './ring-client.js'
import { takeSnapshot } from './ring-snapshot.js'
import { onePerProcess } from './ring-processes.js'

/** Every node that answers: the recorded processes, and nodes found by walking their successors. */
export async function findNodes(client: RingClient, state: NetworkState): Promise<Address[]> {
  const snapshot = await takeSnapshot(client, state)
  // One per process: its virtual nodes (VNODES=v) share one message log.
  return onePerProcess(snapshot.nodes.filter((n) => n.info !== undefined)).map((n) => ({ host: n.host, port: n.port }))
}

/** A read of a node's log; a reply that is not what the API promises is a BAD_REPLY naming the node. */
async function readLog<T>(client: RingClient, at: Address, route: string, parse: (body: Record<string, unknown>) => T): Promise<T> {
  const body = await client.request(at, 'GET', route)
  try {
    return parse(asObject(body, 'reply'))
  } catch (error) {
    throw new ToolError('BAD_REPLY', `${at.host}:${at.port} answered GET ${route.split('?')[0]} with a bad reply: ${errorMessage(error)}`)
  }
}

/** One node's entries of one trace, both sides (GET /trace?id=). */
export function traceEntries(client: RingClient, at: Address, traceId: string): Promise<Message[]> {
  return readLog(client, at, `/trace?id=${traceId}`, (body) => parseMessages(body.spans, 'spans'))
}

/** One node's messages that started after `since` (GET /messages?since=), and the node's clock then. */
export function newestMessages(client: RingClient, at: Address, since: number): Promise<{ messages: Message[]; now: number }> {
  return readLog(client, at, `/messages?since=${since}`, (body) => {
    if (typeof body.now !== 'number' || !Number.isFinite(body.now)) throw bad('now must be a number')
    return { messages: parseMessages(body.messages, 'messages'), now: body.now }
  })
}

export interface CollectedTrace {
  /** One message per span, in time order (mergeTrace). */
  messages: Message[]
  /** Nodes that did not answer, with why (a node that left took its log with it). */
  unanswered: string[]
}

/**
 * One trace, from every node that can be found, merged so each message appears once. `known` are
 * messages the tool has of it already: a leaving node's, which it hands back as it goes.
 */
export async function collectTrace(client: RingClient, state: NetworkState, traceId: string, known: readonly Message[] = []): Promise<CollectedTrace> {
  const nodes = await findNodes(client, state)
  const unanswered: string[] = []
  const entries = await Promise.all(
    nodes.map((at) =>
      traceEntries(client, at, traceId).catch((error: unknown) => {
        unanswered.push(`@${at.port}: ${errorMessage(error)}`)
        return []
      }),
    ),
  )
  return { messages: mergeTrace([...known, ...entries.flat()]), unanswered }
}
