// What the protocol and the servers are configured with. Each setting is declared once, with its
// default, unit and range, in src/node/settings.ts; the defaults below are read from there, beside the few
// constants that are no setting. The protocol only ever sees a NodeConfig.
import { SETTINGS, type RingSettings, type RouteMode } from './settings.js'

export type { RouteMode }

export const DEFAULTS = {
  bits: SETTINGS.bits.default,
  replicas: SETTINGS.replicas.default,
  stabilizeIntervalMs: SETTINGS.stabilizeMs.default,
  fingerIntervalMs: SETTINGS.fingerMs.default,
  checkPredecessorIntervalMs: SETTINGS.checkPredecessorMs.default,
  requestTimeoutMs: SETTINGS.timeoutMs.default,
  tombstoneGraceMs: SETTINGS.tombstoneGraceMs.default,
  /** Routes longer than this end in an error instead of walking forever (a ring can't need more). */
  maxHops: 1024,
  maxValueBytes: SETTINGS.maxValueBytes.default,
  maxBodyBytes: SETTINGS.maxBodyBytes.default,
  /** A request (headers and body) must arrive within this long, so slow clients cannot tie a node up. */
  requestReceiveTimeoutMs: 10_000,
  maxConnections: SETTINGS.maxConnections.default,
  basePort: SETTINGS.basePort.default,
  host: SETTINGS.host.default,
} as const

/**
 * A call that timed out may only have been lost on the way: the caller asks the peer again this many
 * times before the peer counts as failed (and is forgotten, and routed around). One lost message must
 * not make a live peer forgotten: at 10 % lost calls, a peer is forgotten after 1 % of calls, not 10 %.
 */
export const TIMEOUT_RETRIES = 1

/**
 * Silent peers one client operation (store, lookup, delete) outlasts: the node coordinating it asks each
 * 1 + TIMEOUT_RETRIES times before it routes around it, and a client must not give up before the ring does.
 */
export const SILENT_PEERS_OUTLASTED = 2

/**
 * How long a client waits for a store, lookup or delete: the ring's own retries (SILENT_PEERS_OUTLASTED
 * peers, each asked 1 + TIMEOUT_RETRIES times) plus one request timeout for the operation's own work.
 * 2 s of request timeout make 10 s: a lost call costs a lookup one timeout, not the whole operation.
 */
export function clientDeadlineMs(requestTimeoutMs: number): number {
  return requestTimeoutMs * (SILENT_PEERS_OUTLASTED * (1 + TIMEOUT_RETRIES) + 1)
}

export interface NodeConfig {
  bits: number
  replicas: number
  stabilizeIntervalMs: number
  fingerIntervalMs: number
  checkPredecessorIntervalMs: number
  maxHops: number
  maxValueBytes: number
  tombstoneGraceMs: number
  routeMode: RouteMode
}

export function defaultNodeConfig(overrides: Partial<NodeConfig> = {}): NodeConfig {
  return {
    bits: DEFAULTS.bits,
    replicas: DEFAULTS.replicas,
    stabilizeIntervalMs: DEFAULTS.stabilizeIntervalMs,
    fingerIntervalMs: DEFAULTS.fingerIntervalMs,
    checkPredecessorIntervalMs: DEFAULTS.checkPredecessorIntervalMs,
    maxHops: DEFAULTS.maxHops,
    maxValueBytes: DEFAULTS.maxValueBytes,
    tombstoneGraceMs: DEFAULTS.tombstoneGraceMs,
    routeMode: SETTINGS.routeMode.default,
    ...overrides,
  }
}

/** The protocol's view of a node's ring settings. */
export function nodeConfigFrom(settings: RingSettings): NodeConfig {
  return {
    bits: settings.bits,
    replicas: settings.replicas,
    stabilizeIntervalMs: settings.stabilizeMs,
    fingerIntervalMs: settings.fingerMs,
    checkPredecessorIntervalMs: settings.checkPredecessorMs,
    maxHops: DEFAULTS.maxHops,
    maxValueBytes: settings.maxValueBytes,
    tombstoneGraceMs: settings.tombstoneGraceMs,
    routeMode: settings.routeMode,
  }
}
