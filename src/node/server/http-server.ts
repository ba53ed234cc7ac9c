// A node's HTTP server: its route table (routes.ts) on the shared JSON layer, with the node's limits.
// Every failure becomes a status and a JSON body { error, code }; nothing a client sends can crash the node.
import type { AuthMode } from '../auth/request-signing.js'
import { DEFAULTS } from '../config.js'
import { createJsonServer, type JsonServer, type RouteTable, type Wrapper } from './json-server.js'

export interface ServerOptions {
  maxBodyBytes: number
  /** Slow clients are cut off after this long. */
  requestTimeoutMs: number
  maxConnections: number
  /** The cluster secret: requests on write routes must be signed with it (or, with auth bearer, may carry it). */
  secret?: string
  auth?: AuthMode
  /** Around every request the node handles, outermost first (tracing, fault injection). */
  wrappers?: readonly Wrapper[]
}

export function createNodeServer(routes: RouteTable, options: Partial<ServerOptions> = {}, log: (line: string) => void = () => {}): JsonServer {
  return createJsonServer({
    routes,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULTS.maxBodyBytes,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULTS.requestReceiveTimeoutMs,
    maxConnections: options.maxConnections ?? DEFAULTS.maxConnections,
    secret: options.secret,
    ...(options.auth ? { auth: options.auth } : {}),
    ...(options.wrappers ? { wrappers: options.wrappers } : {}),
    log,
  })
}
