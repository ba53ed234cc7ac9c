// @ts-check
// A trace from a file, for the replay: a counterexample make modelcheck wrote, or any trace saved in the
// shape /api/trace answers ({ traceId, messages }, with a title when it has one). A counterexample is
// made of maintenance rounds, so they are drawn too when the file says so. Pure: the page (main.js)
// reads the file the user picked and hands its text here; unit-tested in test/unit/web-trace-file.test.ts.

/** @typedef {import('../../node/wire-json.js').MessageJson} Message */
/** @typedef {import('../../node/wire-json.js').PeerJson} Peer */
/** @typedef {{ title: string, traceId: string | null, messages: Message[], maintenance: boolean }} TraceFile */

/** @param {unknown} value */
const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * @param {unknown} party
 * @returns {party is Peer | null}
 */
function isParty(party) {
  return party === null || (isObject(party) && typeof (/** @type {Record<string, unknown>} */ (party)).id === 'string' && typeof (/** @type {Record<string, unknown>} */ (party)).port === 'number')
}

/**
 * @param {unknown} value
 * @returns {value is Message}
 */
function isMessage(value) {
  if (!isObject(value)) return false
  const m = /** @type {Record<string, unknown>} */ (value)
  return typeof m.spanId === 'string' && isParty(m.from) && isParty(m.to) && typeof m.method === 'string' && typeof m.path === 'string' && typeof m.start === 'number' && typeof m.durationMs === 'number' && (m.status === null || typeof m.status === 'number') && typeof m.summary === 'string'
}

/**
 * The replay of a file's text, or an Error saying why the text is none.
 * @param {string} text
 * @param {string} name the file's name, for the title when the file has none
 * @returns {TraceFile}
 */
export function parseTraceFile(text, name) {
  /** @type {unknown} */
  let json
  try {
    json = JSON.parse(text)
  } catch {
    throw new Error(`${name} is not JSON`)
  }
  if (!isObject(json)) throw new Error(`${name} is not a trace: no object`)
  const file = /** @type {Record<string, unknown>} */ (json)
  const { messages } = file
  if (!Array.isArray(messages) || !messages.every(isMessage)) throw new Error(`${name} is not a trace: its messages are missing or malformed`)
  const title = typeof file.title === 'string' ? file.title : `${name}: ${messages.length} messages`
  return { title, traceId: typeof file.traceId === 'string' ? file.traceId : null, messages, maintenance: file.maintenance === true }
}
