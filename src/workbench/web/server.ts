// make web: a live picture of the running ring in the browser, on the same JSON layer as a node's API.
// This module starts and stops it; the parts are the page's files (assets.ts), the API's routes
// (api-routes.ts) over the server's hold on the ring (web-ring.ts), and the guard that lets only this
// page call them (request-guard.ts).
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { DEFAULTS } from '../../node/config.js'
import { createJsonServer } from '../../node/server/json-server.js'
import type { Machine } from '../../tools/network-state.js'
import { apiRoutes } from './api-routes.js'
import { assetRoutes } from './assets.js'
import { onlyThisPage, toolError } from './request-guard.js'
import { WebRing } from './web-ring.js'

export interface WebServerOptions {
  /** The ring's state directory (network.json); defaults to ./state. */
  stateDir?: string
  /** Where nodes added from the page listen (HOST=, ADVERTISE=, DHT_BASE_PORT=); OS-chosen ports by default. */
  machine?: Partial<Machine>
  /** 0 lets the OS pick a free port. */
  port?: number
  host?: string
  /** Per-request timeout towards the nodes, so one hung node cannot stall the page. */
  nodeTimeoutMs?: number
  /** Where server-side failures (5xx) are reported; silent by default. */
  log?: (line: string) => void
}

export interface WebServer {
  url: string
  port: number
  close(): Promise<void>
}

/** Thrown when the port is taken, so the script can say so and exit 1. */
export class PortBusyError extends Error {
  constructor(readonly port: number, host: string) {
    super(`port ${port} on ${host} is already in use; choose another with WEB_PORT=<port> (WEB_PORT=0 picks a free one)`)
  }
}

const MAX_BODY_BYTES = 256 * 1024
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1'])

export async function startWebServer(options: WebServerOptions = {}): Promise<WebServer> {
  const host = options.host ?? '127.0.0.1'
  const ring = new WebRing({
    stateDir: options.stateDir ? path.resolve(options.stateDir) : undefined,
    machine: options.machine,
    nodeTimeoutMs: options.nodeTimeoutMs ?? DEFAULTS.requestTimeoutMs,
  })
  // Filled in once the port is known: the Host headers this server answers to.
  const allowedHosts = new Set<string>()
  const server = createJsonServer({
    routes: { ...assetRoutes(), ...apiRoutes(ring) },
    wrappers: [onlyThisPage(allowedHosts)],
    maxBodyBytes: MAX_BODY_BYTES,
    requestTimeoutMs: 60_000,
    headersTimeoutMs: 10_000,
    headers: { 'cache-control': 'no-store' },
    translateError: toolError,
    ...(options.log ? { log: options.log } : {}),
  })

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening)
      reject(error.code === 'EADDRINUSE' ? new PortBusyError(options.port ?? 0, host) : error)
    }
    const onListening = () => {
      server.off('error', onError)
      resolve()
    }
    server.once('error', onError)
    server.once('listening', onListening)
    server.listen(options.port ?? 0, host)
  })
  const port = (server.address() as AddressInfo).port
  const shownHost = host.includes(':') ? `[${host}]` : host
  allowedHosts.add(`${shownHost}:${port}`)
  if (LOOPBACK.has(host)) for (const name of ['127.0.0.1', 'localhost', '[::1]']) allowedHosts.add(`${name}:${port}`)
  return {
    url: `http://${shownHost}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        ring.close()
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
