// W3C Trace Context on the wire: `traceparent: 00-<trace id>-<parent span id>-<flags>`. A request that
// carries a valid one continues that trace; anything else (missing, too long, another version, not hex,
// all zeros) starts a new trace, and is never an error.
import { randomFillSync } from 'node:crypto'

export interface TraceContext {
  /** 32 lowercase hex digits. */
  traceId: string
  /** The span this context is in: the message being handled, or a maintenance round. 16 hex digits. */
  spanId: string
  /** A maintenance round's task (stabilize, check_predecessor, fix_fingers): such traces can be shown or hidden. */
  task?: string
}

export const TRACEPARENT = 'traceparent'
/** W3C's vendor header: `chord=<task>` marks the messages of a maintenance round for their receiver too. */
export const TRACESTATE = 'tracestate'
/** The sending node's advertised address on node-to-node requests, so the receiver can name it. */
export const CHORD_FROM = 'chord-from'

const PATTERN = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/
const ZERO_TRACE = '0'.repeat(32)
const ZERO_SPAN = '0'.repeat(16)

/** The trace and parent span a valid header names, or undefined: then the request starts a new trace. */
export function parseTraceparent(header: string | string[] | undefined): { traceId: string; parentId: string } | undefined {
  if (typeof header !== 'string' || header.length !== 55) return undefined
  const match = PATTERN.exec(header)
  if (!match || match[1] === ZERO_TRACE || match[2] === ZERO_SPAN) return undefined
  return { traceId: match[1]!, parentId: match[2]! }
}

/** The header that makes the receiver's work a child of `spanId`. */
export function formatTraceparent(traceId: string, spanId: string): string {
  return `00-${traceId}-${spanId}-01`
}

/** Random bytes drawn 4 KB at a time: every message needs an id, and one call into the CSPRNG each costs more than the rest of its bookkeeping. */
const pool = Buffer.alloc(4096)
let drawn = pool.length

function randomHex(bytes: number): string {
  if (drawn + bytes > pool.length) {
    randomFillSync(pool)
    drawn = 0
  }
  const hex = pool.toString('hex', drawn, drawn + bytes)
  drawn += bytes
  return hex
}

export function newTraceId(): string {
  return randomHex(16)
}

export function newSpanId(): string {
  return randomHex(8)
}

export function isTraceId(text: string): boolean {
  return /^[0-9a-f]{32}$/.test(text) && text !== ZERO_TRACE
}

/** The tracestate entry that names a maintenance task. */
export function tracestateOf(task: string): string {
  return `chord=${task}`
}

/** The task a tracestate header names, if it is one of ours (a short lowercase word). */
export function taskOfTracestate(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string' || header.length > 512) return undefined
  const match = /(?:^|,)\s*chord=([a-z_]{1,32})\s*(?:,|$)/.exec(header)
  return match?.[1]
}
