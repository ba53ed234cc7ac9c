// @ts-check
// Talking to make web's JSON API (src/workbench/web/server.ts), and the shapes of its replies. /api/ring is the
// monitor's snapshot with the nodes' faults (src/workbench/web/ring-view.ts, fault-view.ts); /api/trace and
// /api/messages are what the nodes logged; the fault actions answer what they changed (fault-api.ts);
// every error is { error, code } with a 4xx or 5xx status.

// The node's own JSON (a node, its nodeinfo, a trace's messages) is declared once, in
// src/node/wire-json.ts, beside the encoders that write it; the rest is make web's own.
/** @typedef {import('../../node/wire-json.js').PeerJson} Peer */
/** @typedef {import('../../node/wire-json.js').NodeInfoJson} NodeInfo what a node says about itself (GET /nodeinfo) */
/** @typedef {import('../../node/wire-json.js').MessageJson} Message one message of a trace (/api/trace, /api/messages) */
/**
 * A node's fault plan, compact: `cutOff` counts the nodes a partition cuts it off from, `side` is its
 * side of the partition ('a', 'b'; null: none), `text` the plan in words ("slow 200 ms, 3 nodes cut off").
 * @typedef {{ delayMs: number, jitterMs: number, dropRate: number, slowMs: number, cutOff: number }} CompactPlan
 * @typedef {CompactPlan & { text: string, side: string | null }} NodeFaults
 */
/**
 * One node of the ring: its info, or the error it answered with (info is null then).
 * vnode: its index among its process's virtual nodes (VNODES=v; 0 for the first, and for a process's
 * only node); owned: keys in [its id, its successor's id); held: every copy it stores; faults: its
 * process's plan as last read (null: it could not be read).
 * @typedef {Peer & {
 *   pid: number | null,
 *   vnode: number,
 *   error: string | null,
 *   info: NodeInfo | null,
 *   owned: number,
 *   held: number,
 *   recorded: boolean,
 *   faults: NodeFaults | null,
 * }} RingNode
 */
/**
 * The ring's faults: the sides of a partition (none: no partition) and the summary's other lines
 * (calls lost, slow nodes, delays).
 * @typedef {{ sides: { side: string, ports: number[] }[], lines: string[] }} RingFaults
 */
/** @typedef {{ key: string, value: string, owner: number | null }} RingKey */
/**
 * GET /api/ring: the nodes in id order, the distinct keys (at most 5000 listed; keyCount is exact).
 * @typedef {{
 *   takenAt: string,
 *   bits: number,
 *   replicas: number,
 *   healthy: boolean,
 *   problems: string[],
 *   nodes: RingNode[],
 *   keyCount: number,
 *   keys: RingKey[],
 *   routeMode: string,
 *   faults: RingFaults,
 * }} RingView
 */
/**
 * POST /api/store and GET /api/lookup: where the value's key lives and the route there, hop by hop
 * (path[0] is the node asked, `entry`), and the trace of the operation. With no node chosen the server
 * sends it straight to the key's owner (`route` direct, after `redirects` MOVED answers) or routes it.
 * @typedef {{ op: 'store' | 'lookup', key: string, value: string, node: Peer, hops: number, path: Peer[], entry: Peer, traceId: string, route?: 'direct' | 'routed', redirects?: number }} ValueReply
 */
/**
 * GET /api/trace?id=: one operation's messages as every node logged them, merged in time order, and
 * its parties in order of appearance (null: the client). `unreachable`: nodes that could not be asked.
 * @typedef {{ traceId: string, messages: Message[], lanes: (Peer | null)[], unreachable: string[] }} TraceReply
 */
/**
 * GET /api/messages: the ring's messages since a time, in time order, and `now` to ask from next.
 * @typedef {{ messages: Message[], lanes: (Peer | null)[], now: number }} MessagesReply
 */
/**
 * POST /api/crash: the node killed, and where to look for the repair: the maintenance messages
 * between `since` and `until` (epoch ms) that involve the crashed node or its neighbours, `nodes`.
 * @typedef {{ crashed: Peer & { pid: number }, repair: { since: number, until: number, nodes: Peer[] } }} CrashReply
 */

/**
 * POST /api/slow, /api/drop, /api/partition, /api/heal: each node's plan before and after, the nodes
 * that could not be changed, and a line saying what was done; a partition also names its two sides.
 * @typedef {{
 *   summary: string,
 *   changed: { node: Peer, before: CompactPlan, after: CompactPlan }[],
 *   failed: { node: Peer, error: string }[],
 *   side?: Peer[],
 *   rest?: Peer[],
 * }} FaultReply
 */

/**
 * One request; a reply that is not 2xx becomes an Error with the server's message.
 * @param {'GET' | 'POST'} method
 * @param {string} url
 * @param {unknown} [body]
 * @returns {Promise<unknown>}
 */
async function call(method, url, body) {
  const response = await fetch(url, {
    method,
    cache: 'no-store',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  })
  /** @type {unknown} */
  let data
  try {
    data = await response.json()
  } catch {
    data = { error: `${response.status} ${response.statusText}` }
  }
  if (!response.ok) {
    const message = typeof data === 'object' && data !== null && 'error' in data ? String(data.error) : `HTTP ${response.status}`
    throw new Error(message)
  }
  return data
}

/** @returns {Promise<RingView>} */
export async function getRing() {
  return /** @type {RingView} */ (await call('GET', '/api/ring'))
}

/**
 * Stores or looks a value up, through the node on `port` (a random one without).
 * @param {'store' | 'lookup'} op
 * @param {string} value
 * @param {number | undefined} port
 * @returns {Promise<ValueReply>}
 */
export async function storeOrLookup(op, value, port) {
  const query = new URLSearchParams({ value })
  if (port) query.set('port', String(port))
  const reply = op === 'store' ? await call('POST', '/api/store', { value, port }) : await call('GET', `/api/lookup?${query}`)
  return /** @type {ValueReply} */ (reply)
}

/** @returns {Promise<{ added: Peer & { pid: number }, traceId: string }>} */
export async function addNode() {
  return /** @type {{ added: Peer & { pid: number }, traceId: string }} */ (await call('POST', '/api/add', {}))
}

/**
 * @param {number | undefined} port the node that leaves (a random one without)
 * @returns {Promise<{ left: Peer, handedTo: Peer | null, traceId: string }>}
 */
export async function leaveNode(port) {
  return /** @type {{ left: Peer, handedTo: Peer | null, traceId: string }} */ (await call('POST', '/api/leave', port ? { port } : {}))
}

/**
 * @param {number | undefined} port the node to SIGKILL (a random one without)
 * @returns {Promise<CrashReply>}
 */
export async function crashNode(port) {
  return /** @type {CrashReply} */ (await call('POST', '/api/crash', port ? { port } : {}))
}

/**
 * @param {string} traceId
 * @returns {Promise<TraceReply>}
 */
export async function getTrace(traceId) {
  return /** @type {TraceReply} */ (await call('GET', `/api/trace?${new URLSearchParams({ id: traceId })}`))
}

/**
 * The ring's messages that started after `since` (without: in the server's last second): client
 * operations only, or with `all` maintenance too, or with `tasks` those tasks' only; `until` and
 * `involving` (nodes' "host:port") narrow them down.
 * @param {{ since?: number, until?: number, all?: boolean, involving?: string[], tasks?: string[] }} query
 * @returns {Promise<MessagesReply>}
 */
export async function getMessages({ since, until, all, involving, tasks }) {
  const query = new URLSearchParams()
  if (since !== undefined) query.set('since', String(since))
  if (until !== undefined) query.set('until', String(until))
  if (all) query.set('all', '1')
  if (involving && involving.length > 0) query.set('involving', involving.join(','))
  if (tasks && tasks.length > 0) query.set('task', tasks.join(','))
  return /** @type {MessagesReply} */ (await call('GET', `/api/messages?${query}`))
}

/**
 * Makes a node slow: it holds every request it handles `ms` first (0: not slow any more).
 * @param {number | undefined} port the node (a random one without)
 * @param {number} ms
 * @returns {Promise<FaultReply>}
 */
export async function slowNode(port, ms) {
  return /** @type {FaultReply} */ (await call('POST', '/api/slow', port ? { port, ms } : { ms }))
}

/**
 * Every node loses each call to another node with probability `rate` (0 to 1; 0: none lost).
 * @param {number} rate
 * @returns {Promise<FaultReply>}
 */
export async function dropCalls(rate) {
  return /** @type {FaultReply} */ (await call('POST', '/api/drop', { rate }))
}

/**
 * Cuts these nodes ("host:port" or ports) and the rest of the ring apart.
 * @param {(string | number)[]} side
 * @returns {Promise<FaultReply>}
 */
export async function partitionRing(side) {
  return /** @type {FaultReply} */ (await call('POST', '/api/partition', { ports: side }))
}

/** Clears every fault of every node. @returns {Promise<FaultReply>} */
export async function healRing() {
  return /** @type {FaultReply} */ (await call('POST', '/api/heal', {}))
}
