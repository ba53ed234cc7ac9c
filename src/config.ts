// Every tunable in one place, with its unit in its name. Nodes read overrides from the environment
// (see src/node-main.ts); the protocol only ever sees a NodeConfig.

export const DEFAULTS = {
  /** Identifier bits (M): 160 for SHA-1, smaller for teaching rings. */
  bits: 160,
  /** Copies of every key (owner + r-1 predecessors) and length of each node's successor list. */
  replicas: 3,
  /** How often a node runs stabilize + notify and syncs its replicas. */
  stabilizeIntervalMs: 1000,
  /**
   * How often a node refreshes its whole finger table (fix_fingers; a joiner builds its own at once).
   * Stale fingers cost hops, never correctness, and the refresh is most of an idle ring's traffic.
   */
  fingerIntervalMs: 5000,
  /** How often check_predecessor runs (it pings only a predecessor that has not notified us since). */
  checkPredecessorIntervalMs: 1000,
  /**
   * How long a deleted value is remembered (its tombstone) so that no old copy brings it back: longer than
   * any repair takes (seconds) and than the partitions a lab makes on purpose. Then memory comes back.
   */
  tombstoneGraceMs: 10 * 60 * 1000,
  /** A peer that has not answered by then is treated as failed. */
  requestTimeoutMs: 2000,
  /** Routes longer than this end in an error instead of walking forever (a ring can't need more). */
  maxHops: 1024,
  /** Largest value a node accepts, in bytes of UTF-8. */
  maxValueBytes: 64 * 1024,
  /** Largest request body a node reads, in bytes. */
  maxBodyBytes: 8 * 1024 * 1024,
  /** A request (headers and body) must arrive within this long, so slow clients cannot tie a node up. */
  requestReceiveTimeoutMs: 10_000,
  /** Open connections a node accepts at once; more are refused until some close. */
  maxConnections: 512,
  /** First port `make boot` / `make add` try; 0 lets the OS choose (tests do that). */
  basePort: 5000,
  host: '127.0.0.1',
} as const

export type RouteMode = 'fingers' | 'linear'

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
    routeMode: 'fingers',
    ...overrides,
  }
}
