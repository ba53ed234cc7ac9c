// The JSON a node speaks, as types: what wire.ts's encoders write (a node, its nodeinfo) and the
// messages a node's log serves at /trace and /messages. Types only, importing nothing, so that the
// web page's JSDoc (type-checked against the DOM, without Node) takes its types from here as well.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/** A node on the wire: its id as lowercase hex of the space's width. */
export type PeerJson = {
  id: string
  host: string
  port: number
}

/** One distinct finger: the first index that points at its node, and that finger's start. */
export type FingerJson = {
  index: number
  start: string
  node: PeerJson
}

/** GET /nodeinfo: what a node says about itself. */
export type NodeInfoJson = PeerJson & {
  status: 'joining' | 'ready' | 'leaving' | 'stopped'
  predecessor: PeerJson | null
  successor: PeerJson
  successors: PeerJson[]
  fingers: FingerJson[]
  keys: number
  values: number
  /** Deleted values still remembered (until the grace period ends). */
  tombstones: number
  bits: number
  replicas: number
  routeMode: 'fingers' | 'linear' | 'onehop'
  /** What routing keeps: the nodes it names and their size as JSON. */
  routingState: { entries: number; bytes: number }
}

/**
 * One message between two parties, as a node's message log keeps it (src/node/trace/messages.ts);
 * `from` or `to` null is a client that is no node (a tool, the web view).
 */
export interface MessageJson {
  traceId: string
  /** The message's own span: the sender made it and sent it in the traceparent header. */
  spanId: string
  /** The span this message was sent on behalf of (the message being handled, or a maintenance round); null for a root. */
  parentId: string | null
  from: PeerJson | null
  to: PeerJson | null
  method: string
  /** The route, without its query. */
  path: string
  /** Epoch milliseconds, fractional: when the message was sent (or, logged by its receiver, received). */
  start: number
  durationMs: number
  /** The HTTP status of the answer; null when none came (a timeout, a node that did not answer). */
  status: number | null
  /** The error code of a failed message (the peer's, or PEER_TIMEOUT / PEER_UNREACHABLE). */
  error?: string
  /** One line: what was asked and answered. Values appear only as previews. */
  summary: string
  /** Which end logged it: the sender, or the receiver. */
  side: 'sent' | 'received'
  /** Set on the messages of a maintenance round: its task's name. */
  task?: string
}
