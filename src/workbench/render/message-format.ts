// How one message reads to people, the same in the terminal's diagram and list, make messages, the SVG
// and the web page: a party's key and label, the route, the outcome and its status text, the duration,
// when it started. Pure (no Node built-ins, no DOM): compiled for Node and served to the page (/render/).
import type { MessageJson as Message, PeerJson } from '../../node/wire-json.js'

/** A party of a message: a node, or null for a client that is not one (a tool, the web view). */
export type Party = PeerJson | null

/** How a message ended: answered, refused with an error (4xx), or failed (5xx, or no answer came). */
export type Outcome = 'ok' | 'refused' | 'failed'

/** A party's key: one lane per node (host:port), one for the client. */
export function partyKey(party: Party): string {
  return party ? `${party.host}:${party.port}` : 'client'
}

/**
 * Labels for parties: `@5001` when every node shares one host (one machine), else `host:port`;
 * `client` for a tool or the web view.
 */
export function partyLabeller(parties: readonly ({ host: string } | null)[]): (party: Party) => string {
  const hosts = new Set(parties.flatMap((p) => (p ? [p.host] : [])))
  return (party) => (party === null ? 'client' : hosts.size <= 1 ? `@${party.port}` : `${party.host}:${party.port}`)
}

/** The parties of a conversation in the order they first appear: the client first, when there is one. */
export function partiesInOrder(messages: readonly { from: Party; to: Party }[]): Party[] {
  const parties: Party[] = []
  const seen = new Set<string>()
  const add = (party: Party) => {
    if (seen.has(partyKey(party))) return
    seen.add(partyKey(party))
    parties.push(party)
  }
  if (messages.some((m) => m.from === null || m.to === null)) add(null)
  for (const m of messages) {
    add(m.from)
    add(m.to)
  }
  return parties
}

export function outcomeOf(message: Pick<Message, 'status' | 'error'>): Outcome {
  if (message.status === null || message.status >= 500) return 'failed'
  return message.status >= 400 || message.error !== undefined ? 'refused' : 'ok'
}

/** A message no answer came to, or answered with an error. */
export function isFailed(message: Pick<Message, 'status' | 'error'>): boolean {
  return outcomeOf(message) !== 'ok'
}

/** A message of a maintenance round (stabilize, check_predecessor, fix_fingers, replica sync). */
export function isMaintenance(message: Pick<Message, 'task'>): boolean {
  return message.task !== undefined
}

export function routeText(message: Pick<Message, 'method' | 'path'>): string {
  return `${message.method} ${message.path}`
}

/** `200`, `404 NOT_FOUND`, `no answer (PEER_TIMEOUT)`. */
export function statusText(message: Pick<Message, 'status' | 'error'>): string {
  if (message.status === null) return message.error ? `no answer (${message.error})` : 'no answer'
  return message.error ? `${message.status} ${message.error}` : String(message.status)
}

/** `0.84 ms`, `12.3 ms`, `250 ms`, `1.25 s`. */
export function durationText(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`
  if (ms >= 100) return `${Math.round(ms)} ms`
  return `${ms < 10 ? ms.toFixed(2) : ms.toFixed(1)} ms`
}

/** When something started, counted from the first message of its conversation: `+12.3`. */
export function offsetText(start: number, origin: number): string {
  return `+${Math.max(0, start - origin).toFixed(1)}`
}

/** From the first message's start to the last answer's arrival. */
export function elapsedMs(messages: readonly Pick<Message, 'start' | 'durationMs'>[]): number {
  if (messages.length === 0) return 0
  const first = Math.min(...messages.map((m) => m.start))
  const last = Math.max(...messages.map((m) => m.start + m.durationMs))
  return last - first
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}

/** `3 messages between 2 parties in 4.12 ms`. */
export function conversationText(messages: readonly Message[], parties: number): string {
  return `${plural(messages.length, 'message')} between ${parties} ${parties === 1 ? 'party' : 'parties'} in ${durationText(elapsedMs(messages))}`
}
