// The node API as an OpenAPI 3.1 document, generated from the two declarations (the RPC table and the
// client routes): every node serves it at GET /openapi.json, and the repository keeps a copy
// (openapi.json, checked by a test) so that a node in any language can be written against it.
import { CLIENT_ROUTES } from './client-routes.js'
import type { RouteDoc } from './rpc.js'
import { RPCS } from './rpcs.js'
import { COMPONENTS, schemaRef } from './schema.js'
import { VNODE_HEADER } from './vnode-header.js'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/** Every route the node answers, each with the name it is declared under. */
export function allRoutes(): Array<RouteDoc & { name: string }> {
  return [...Object.entries(RPCS), ...Object.entries(CLIENT_ROUTES)].map(([name, doc]) => ({ ...(doc as RouteDoc), name }))
}

const errorReply = (description: string, schema = 'Error'): Json => ({ description, content: { 'application/json': { schema: schemaRef(schema) as Json } } })

function operation(route: RouteDoc & { name: string }): Json {
  const parameters = (route.query ?? []).map((p) => ({ name: p.name, in: 'query', required: p.required ?? false, description: p.description, schema: p.schema as Json }))
  return {
    operationId: route.name,
    summary: route.summary,
    tags: [route.tag],
    parameters: [...parameters, { $ref: '#/components/parameters/VirtualNode' }],
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: route.body as Json } } } } : {}),
    // Either scheme: a signature on every ring, the bearer token only where the ring allows it (AUTH=bearer).
    ...(route.write ? { security: [{ signedRequest: [] }, { clusterSecret: [] }] } : {}),
    responses: {
      [String(route.status ?? 200)]: { description: 'the answer', content: { [route.contentType ?? 'application/json']: { schema: route.reply as Json } } },
      '400': errorReply('a bad request: the error names the field (BAD_REQUEST)'),
      ...(route.write
        ? { '401': errorReply('the request is not signed with the cluster secret, or its signature is older than 30 s, replayed, or its body changed (UNAUTHORIZED: the message says which)') }
        : {}),
      '404': errorReply('not found: an absent value (NOT_FOUND), or no such route (UNKNOWN_ROUTE)'),
      ...(route.moved ? { '421': errorReply('this node does not own the key: `owner` is the node it believes does (MOVED)', 'Moved') } : {}),
      '409': errorReply('not now: the ring changed under the request, or the node is not ready (RING_CHANGED, ID_TAKEN, NOT_READY, NOT_OWNER, LAST_NODE)'),
      '502': errorReply('a peer did not answer or the route failed (PEER_UNREACHABLE, ROUTE_FAILED, PEER_ERROR)'),
      '503': errorReply('this node has left or is unavailable (NODE_LEFT, UNAVAILABLE)'),
      '504': errorReply('a peer did not answer in time (PEER_TIMEOUT)'),
    },
  }
}

export function openApiDocument(version: string): Json {
  const paths: Record<string, Record<string, Json>> = {}
  for (const route of allRoutes()) (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route)
  return {
    openapi: '3.1.0',
    info: {
      title: 'chord-lab node API',
      version,
      description:
        'What one Chord node answers over HTTP and JSON. Ids are lowercase hex with exactly as many digits as the identifier space needs (40 for SHA-1); a node is { id, host, port } and its id must be the hash of host:port (or, for a virtual node, of host:port:i; see the x-chord-node header). Routes tagged lab are the handout\'s; engineering ones keep a ring right under churn; tools ones serve the workbench. Every failure answers { error, code } with a 4xx or 5xx status.',
    },
    tags: [
      { name: 'lab', description: "the handout's routes: a node, findNode, JOIN, STORE, LOOKUP, LEAVE, content" },
      { name: 'engineering', description: 'stabilization, replication, routing steps, membership news, ring unification' },
      { name: 'tools', description: 'traces, the message log, metrics, faults, this document' },
    ],
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: {
      schemas: COMPONENTS as unknown as Json,
      parameters: {
        VirtualNode: {
          name: VNODE_HEADER,
          in: 'header',
          required: false,
          description:
            "the node the request is for, by its id: a process booted with VNODES=v hosts v virtual nodes behind one port (ids: the hash of host:port for the first, of host:port:i for the i-th) and serves each under its id; without the header, the first. An id the process does not host answers 503 NODE_LEFT. A process with one node ignores it.",
          schema: schemaRef('Id') as Json,
        },
      },
      securitySchemes: {
        signedRequest: {
          type: 'apiKey',
          in: 'header',
          name: 'x-chord-signature',
          description:
            "every write is signed with the ring's cluster secret (state/secret), which never travels: x-chord-signature is the hex HMAC-SHA-256, keyed by the secret, of five lines joined by \\n: the method, the request target (path and query as sent), the content-digest header (sha-256=:<base64 of the body's SHA-256>:, of the empty body when there is none), x-chord-date (epoch milliseconds) and x-chord-nonce (32 hex digits, never reused). A node refuses with 401 UNAUTHORIZED a request without one, one older than 30 s or dated more than 30 s ahead, one whose nonce it has seen, and one whose body does not match the digest.",
        },
        clusterSecret: { type: 'http', scheme: 'bearer', description: "the ring's cluster secret itself as a bearer token: accepted only on rings booted with AUTH=bearer (IMPL=lab rings, student nodes)" },
      },
    },
  }
}
