// What a failed check says: what was expected, what was seen, and the exchange that showed it. The
// helpers here judge one reply against the node API (a JSON object, a node, an error body) and throw a
// GradeFailure naming the field that was wrong.
import { IdSpace } from '../../node/ring.js'
import { clip, type Exchange } from './probe.js'

export class GradeFailure extends Error {
  readonly expected: string
  readonly seen: string
  readonly exchange: Exchange | undefined
  /** Waiting longer cannot help (a node has exited): a wait for the condition gives up at once. */
  readonly final: boolean

  constructor(expected: string, seen: string, exchange?: Exchange, final = false) {
    super(`expected ${expected}; seen ${seen}`)
    this.name = 'GradeFailure'
    this.expected = expected
    this.seen = seen
    this.exchange = exchange
    this.final = final
  }
}

export function isGradeFailure(error: unknown): error is GradeFailure {
  return error instanceof GradeFailure
}

export function fail(expected: string, seen: string, exchange?: Exchange): never {
  throw new GradeFailure(expected, seen, exchange)
}

/** A failure no wait can mend, such as a node that has exited. */
export function failFinally(expected: string, seen: string): never {
  throw new GradeFailure(expected, seen, undefined, true)
}

/** A node as the API writes it, its id checked against the hash of its address. */
export interface NodeRef {
  id: string
  host: string
  port: number
}

export const SPACE = new IdSpace()
const ID_PATTERN = new RegExp(`^[0-9a-f]{${SPACE.hexLength}}$`)

export function idOf(host: string, port: number): string {
  return SPACE.toHex(SPACE.nodeId(host, port))
}

export function keyOf(value: string): string {
  return SPACE.toHex(SPACE.hash(value))
}

export function shortNode(node: NodeRef): string {
  return `${node.id.slice(0, 8)}@${node.port}`
}

/** "501 NOT_IMPLEMENTED: findNode is a TODO" when the body is an error object, else the status and body. */
export function seenAnswer(exchange: Exchange): string {
  if (exchange.status === undefined) return `no answer (${exchange.error ?? 'unknown'})`
  const body = exchange.json
  if (isObject(body) && typeof body.code === 'string') {
    return `${exchange.status} ${body.code}${typeof body.error === 'string' ? `: ${clip(body.error, 160)}` : ''}`
  }
  if (exchange.json === undefined) return `${exchange.status} with a body that is not JSON: ${clip(exchange.text ?? '', 120) || '(empty)'}`
  return `${exchange.status} ${clip(exchange.text ?? '', 160)}`
}

/** The reply's JSON object when the status is 2xx (or exactly `status`), else a failure saying what came. */
export function jsonObject(exchange: Exchange, what: string, status?: number): Record<string, unknown> {
  const statusOk = exchange.status !== undefined && (status === undefined ? exchange.status >= 200 && exchange.status < 300 : exchange.status === status)
  if (!statusOk) fail(`${what}: ${status ?? '2xx'} with a JSON object`, seenAnswer(exchange), exchange)
  if (!isObject(exchange.json)) fail(`${what}: a JSON object`, seenAnswer(exchange), exchange)
  return exchange.json
}

/** A 4xx whose body is `{ error, code }` (both strings); `status` narrows it to one code. */
export function errorReply(exchange: Exchange, what: string, status?: number): { error: string; code: string } {
  const expected = `${what}: ${status ?? '4xx'} with { "error", "code" }`
  const statusOk = exchange.status !== undefined && (status === undefined ? exchange.status >= 400 && exchange.status < 500 : exchange.status === status)
  if (!statusOk) fail(expected, seenAnswer(exchange), exchange)
  const body = exchange.json
  if (!isObject(body) || typeof body.error !== 'string' || typeof body.code !== 'string') fail(expected, `${exchange.status} ${clip(exchange.text ?? '', 160) || '(empty body)'}`, exchange)
  return { error: body.error, code: body.code }
}

/** A node field: `{ id, host, port }` with a lowercase hex id of 40 digits that is SHA-1(host:port). */
export function nodeField(value: unknown, field: string, exchange: Exchange): NodeRef {
  const expected = `${field}: a node { "id", "host", "port" }`
  if (!isObject(value)) fail(expected, `${field} = ${clip(JSON.stringify(value) ?? 'undefined', 120)}`, exchange)
  const { id, host, port } = value
  if (typeof host !== 'string' || typeof port !== 'number' || !Number.isInteger(port)) fail(expected, `${field} = ${clip(JSON.stringify(value), 160)}`, exchange)
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) fail(`${field}.id: ${SPACE.hexLength} lowercase hex digits`, `${JSON.stringify(id)}`, exchange)
  const hashed = idOf(host, port)
  if (id !== hashed) fail(`${field}.id = SHA-1("${host}:${port}") = ${hashed}`, id, exchange)
  return { id, host, port }
}

/** A node field that may be null (a predecessor not known yet). */
export function nodeOrNullField(value: unknown, field: string, exchange: Exchange): NodeRef | null {
  return value === null ? null : nodeField(value, field, exchange)
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
