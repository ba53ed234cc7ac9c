// What the nodes logged, gathered for the page's replays: one trace asked of every node (/trace?id=),
// or the ring's messages of a stretch of time (/messages?since=), merged into one conversation in time
// order (mergeTrace) with its parties in order of appearance (lanesOf). A node that does not answer is
// left out and named, never an error: a replay of what the others saw is still a replay.
import type { RingClient } from '../cli/ring-client.js'
import { errorMessage } from '../errors.js'
import { lanesOf, mergeTrace, parseMessages, type Message, type Party } from '../trace/messages.js'
import type { Address } from '../transport/http-client.js'
import { asObject } from '../wire.js'

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
  return { messages, lanes: lanesOf(messages), unreachable }
}

/** One trace as every node logged it. */
export async function collectTrace(client: RingClient, nodes: readonly Address[], traceId: string): Promise<Conversation> {
  const { answers, unreachable } = await askEvery(nodes, async (node) => parseMessages(asObject(await client.http.request(node, 'GET', `/trace?id=${traceId}`), 'trace').spans, 'spans'))
  return conversation(answers.flat(), unreachable)
}

const partyAddress = (party: Party): string | undefined => (party ? `${party.host}:${party.port}` : undefined)

/** The ring's messages of a stretch of time, and the earliest of the nodes' clocks to ask from next. */
export async function collectMessages(client: RingClient, nodes: readonly Address[], query: MessageQuery, now: number): Promise<Conversation & { now: number }> {
  const since = Math.floor(query.since)
  const { answers, unreachable } = await askEvery(nodes, async (node) => {
    const reply = asObject(await client.http.request(node, 'GET', `/messages?since=${since}`), 'messages')
    return { messages: parseMessages(reply.messages, 'messages'), now: typeof reply.now === 'number' && Number.isFinite(reply.now) ? reply.now : now }
  })
  const involves = (m: Message) => !query.involving || [m.from, m.to].some((p) => query.involving!.has(partyAddress(p) ?? ''))
  const wanted = answers
    .flatMap((a) => a.messages)
    .filter((m) => m.start > query.since && (query.until === undefined || m.start <= query.until) && involves(m))
  // A maintenance message is known by its sender's entry (which has the task): merge first, then filter.
  const messages = mergeTrace(wanted).filter((m) => query.all || m.task === undefined)
  return { messages, lanes: lanesOf(messages), unreachable, now: answers.length > 0 ? Math.min(...answers.map((a) => a.now)) : now }
}
