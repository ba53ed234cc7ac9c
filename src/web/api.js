// @ts-check
// Talking to make web's JSON API (src/web/server.ts), and the shapes of its replies. /api/ring is the
// monitor's snapshot (src/web/ring-view.ts); /api/trace and /api/messages are what the nodes logged;
// every error is { error, code } with a 4xx or 5xx status.

/** @typedef {{ id: string, host: string, port: number }} Peer */
/** @typedef {{ index: number, start: string, node: Peer }} Finger */
/**
 * What a node says about itself (GET /nodeinfo).
 * @typedef {Peer & {
 *   status: 'joining' | 'ready' | 'leaving' | 'stopped',
 *   predecessor: Peer | null,
 *   successor: Peer,
 *   successors: Peer[],
 *   fingers: Finger[],
 *   keys: number,
 *   values: number,
 *   bits: number,
 *   replicas: number,
 *   routeMode: string,
 * }} NodeInfo
 */
/**
 * One node of the ring: its info, or the error it answered with (info is null then).
 * owned: keys in [its id, its successor's id); held: every copy it stores.
 * @typedef {Peer & {
 *   pid: number | null,
 *   error: string | null,
 *   info: NodeInfo | null,
 *   owned: number,
 *   held: number,
 *   recorded: boolean,
 * }} RingNode
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
 * }} RingView
 */
/**
 * POST /api/store and GET /api/lookup: where the value's key lives and the route there, hop by hop
 * (path[0] is the node asked, `entry`), and the trace of the operation.
 * @typedef {{ op: 'store' | 'lookup', key: string, value: string, node: Peer, hops: number, path: Peer[], entry: Peer, traceId: string }} ValueReply
 */
/** @typedef {import('./replay.js').Message} Message */
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
