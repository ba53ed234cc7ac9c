// How one message reads to people, the same in the terminal's diagram, its list form, make messages
// and the SVG: a party's label, the route, the status, the duration, whether it failed. Pure: no I/O.
import type { Message, Party } from '../../node/trace/messages.js'

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

/** The parties of a set of messages, in no particular order (for partyLabeller). */
export function partiesOf(messages: readonly Message[]): Party[] {
  return messages.flatMap((m) => [m.from, m.to])
}

/** A message no answer came to, or answered with an error. */
export function isFailed(message: Message): boolean {
  return message.status === null || message.status >= 400 || message.error !== undefined
}

/** A message of a maintenance round (stabilize, check_predecessor, fix_fingers, replica sync). */
export function isMaintenance(message: Message): boolean {
  return message.task !== undefined
}

export function routeText(message: Message): string {
  return `${message.method} ${message.path}`
}

/** `200`, `404 NOT_FOUND`, `PEER_TIMEOUT` (no answer came). */
export function statusText(message: Message): string {
  if (message.status === null) return message.error ?? 'no answer'
  return message.error ? `${message.status} ${message.error}` : String(message.status)
}

/** `0.84 ms`, `12.3 ms`, `1.25 s`. */
export function durationText(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`
  return `${ms < 10 ? ms.toFixed(2) : ms.toFixed(1)} ms`
}

/** When a message started, counted from the first message of its conversation: `+12.3`. */
export function offsetText(message: Message, origin: number): string {
  return `+${Math.max(0, message.start - origin).toFixed(1)}`
}

/** From the first message's start to the last answer's arrival. */
export function elapsedMs(messages: readonly Message[]): number {
  if (messages.length === 0) return 0
  const first = Math.min(...messages.map((m) => m.start))
  const last = Math.max(...messages.map((m) => m.start + m.durationMs))
  return last - first
}

/** `3 messages between 2 parties in 4.12 ms`. */
export function conversationText(messages: readonly Message[], parties: number): string {
  const count = messages.length
  return `${count} ${count === 1 ? 'message' : 'messages'} between ${parties} ${parties === 1 ? 'party' : 'parties'} in ${durationText(elapsedMs(messages))}`
}
