// The web server's side of tracing. It starts a trace for each action it performs, records the one
// message no node can tell of (the LEAVE of a node that has exited), knows how long a crash's repair is
// watched, and gathers what the nodes logged for the page's replays: one trace asked of every node
// (/trace?id=), or the ring's messages of a stretch of time (/messages?since=), merged into one
// conversation in time order (mergeTrace) with its parties in order of appearance (partiesInOrder). A node
// that does not answer is left out and named, never an error: what the others saw is still a replay.
import type { RingSettings } from '../../tools/network-state.js'
import type { RingClient } from '../../tools/ring-client.js'
import { errorMessage } from '../../node/errors.js'
import { mergeTrace, parseMessages, type Message, type Party } from '../../node/trace/messages.js'
import { formatTraceparent, newSpanId, newTraceId } from '../../node/trace/trace-context.js'
import type { Address } from '../../node/transport/http-client.js'
import { asObject, type PeerJson } from '../../node/wire.js'
import { partiesInOrder } from '../render/message-format.js'

export interface Conversation {
  messages: Message[]
  /** The parties in order of appearance, the client (null) first. */
  lanes: Party[]
  /** "host:port: reason" of each node that could not be asked. */
  unreachable: string[]
}

export interface MessageQuery {
  /** Epoch ms: messages that started after it. */
  since: number
  /** Epoch ms: and not after it. */
  until?: number
  /** Maintenance messages (those with a task) too; without, client operations only. */
  all: boolean
  /** Only messages from or to one of these nodes ("host:port"). */
  involving?: ReadonlySet<string>
  /** Only the maintenance messages of these tasks. */
  tasks?: ReadonlySet<string>
}

/** A new trace for one action: its id, and the header of its first message (whose span it names), which starts it. */
export function startTrace(): { traceId: string; spanId: string; traceparent: string } {
  const traceId = newTraceId()
  const spanId = newSpanId()
  return { traceId, spanId, traceparent: formatTraceparent(traceId, spanId) }
}

/** Epoch milliseconds, fractional, as the nodes' logs have them. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now()
}

/**
 * How long a crash's repair is watched: long enough for the neighbours to notice (a check_predecessor
 * round and a stabilize round, each perhaps waiting out a timeout) and rewire, at least a few seconds.
 */
export function repairWindowMs(settings: Pick<RingSettings, 'stabilizeMs' | 'checkPredecessorMs' | 'timeoutMs'>): number {
  return Math.min(10_000, Math.max(3000, 2 * Math.max(settings.stabilizeMs, settings.checkPredecessorMs) + settings.timeoutMs))
}

/** Asks every node at once; the answers of those that answered, and who did not. */
async function askEvery<T>(nodes: readonly Address[], ask: (node: Address) => Promise<T>): Promise<{ answers: T[]; unreachable: string[] }> {
  const settled = await Promise.allSettled(nodes.map(ask))
  const answers: T[] = []
  const unreachable: string[] = []
  settled.forEach((result, i) => {
    if (result.status === 'fulfilled') answers.push(result.value)
    else unreachable.push(`${nodes[i]!.host}:${nodes[i]!.port}: ${errorMessage(result.reason)}`)
  })
  return { answers, unreachable }
}

function conversation(entries: readonly Message[], unreachable: string[]): Conversation {
  const messages = mergeTrace(entries)
  return { messages, lanes: partiesInOrder(messages), unreachable }
}

/** One trace as every node logged it, with what nodes that have left logged of it (`departed`). */
export async function collectTrace(client: RingClient, nodes: readonly Address[], traceId: string, departed: readonly Message[] = []): Promise<Conversation> {
  const { answers, unreachable } = await askEvery(nodes, async (node) => parseMessages(asObject(await client.request(node, 'GET', `/trace?id=${traceId}`), 'trace').spans, 'spans'))
  return conversation([...departed, ...answers.flat()], unreachable)
}

/**
 * A request this server sent for the page, as its log entry (a sender's entry: the client's side),
 * for a message no node can tell of (the LEAVE of a node that has exited).
 */
export function sentByThisPage(request: { traceId: string; spanId: string; to: PeerJson; method: string; path: string; start: number; end: number; status: number; summary: string }): Message {
  const { traceId, spanId, to, method, path, start, end, status, summary } = request
  return { traceId, spanId, parentId: null, from: null, to: { id: to.id, host: to.host, port: to.port }, method, path, start, durationMs: Math.max(0, end - start), status, summary, side: 'sent' }
}

const partyAddress = (party: Party): string | undefined => (party ? `${party.host}:${party.port}` : undefined)

/** The ring's messages of a stretch of time, and the earliest of the nodes' clocks to ask from next. */
export async function collectMessages(client: RingClient, nodes: readonly Address[], query: MessageQuery, now: number): Promise<Conversation & { now: number }> {
  const since = Math.floor(query.since)
  const { answers, unreachable } = await askEvery(nodes, async (node) => {
    const reply = asObject(await client.request(node, 'GET', `/messages?since=${since}`), 'messages')
    return { messages: parseMessages(reply.messages, 'messages'), now: typeof reply.now === 'number' && Number.isFinite(reply.now) ? reply.now : now }
  })
  const involves = (m: Message) => !query.involving || [m.from, m.to].some((p) => query.involving!.has(partyAddress(p) ?? ''))
  const wanted = answers
    .flatMap((a) => a.messages)
    .filter((m) => m.start > query.since && (query.until === undefined || m.start <= query.until) && involves(m))
  // A maintenance message is known by its sender's entry (which has the task): merge first, then filter.
  const ofTask = (m: Message) => (query.tasks ? m.task !== undefined && query.tasks.has(m.task) : query.all || m.task === undefined)
  const messages = mergeTrace(wanted).filter(ofTask)
  return { messages, lanes: partiesInOrder(messages), unreachable, now: answers.length > 0 ? Math.min(...answers.map((a) => a.now)) : now }
}
