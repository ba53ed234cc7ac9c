// The node API as an OpenAPI 3.1 document, generated from the two declarations (the RPC table and the
// client routes): every node serves it at GET /openapi.json, and the repository keeps a copy
// (openapi.json, checked by a test) so that a node in any language can be written against it.
import { CLIENT_ROUTES } from './client-routes.js'
import type { RouteDoc } from './rpc.js'
import { RPCS } from './rpcs.js'
import { COMPONENTS, schemaRef } from './schema.js'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/** Every route the node answers, each with the name it is declared under. */
export function allRoutes(): Array<RouteDoc & { name: string }> {
  return [...Object.entries(RPCS), ...Object.entries(CLIENT_ROUTES)].map(([name, doc]) => ({ ...(doc as RouteDoc), name }))
}

const errorReply = (description: string): Json => ({ description, content: { 'application/json': { schema: schemaRef('Error') as Json } } })

function operation(route: RouteDoc & { name: string }): Json {
  const parameters = (route.query ?? []).map((p) => ({ name: p.name, in: 'query', required: p.required ?? false, description: p.description, schema: p.schema as Json }))
  return {
    operationId: route.name,
    summary: route.summary,
    tags: [route.tag],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: route.body as Json } } } } : {}),
    ...(route.write ? { security: [{ clusterSecret: [] }] } : {}),
    responses: {
      [String(route.status ?? 200)]: { description: 'the answer', content: { 'application/json': { schema: route.reply as Json } } },
      '400': errorReply('a bad request: the error names the field (BAD_REQUEST)'),
      ...(route.write ? { '401': errorReply('the cluster secret is missing or wrong (UNAUTHORIZED)') } : {}),
      '404': errorReply('not found: an absent value (NOT_FOUND), or no such route (UNKNOWN_ROUTE)'),
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
        'What one Chord node answers over HTTP and JSON. Ids are lowercase hex with exactly as many digits as the identifier space needs (40 for SHA-1); a node is { id, host, port } and its id must be the hash of host:port. Routes tagged lab are the handout\'s; engineering ones keep a ring right under churn; tools ones serve the workbench. Every failure answers { error, code } with a 4xx or 5xx status.',
    },
    tags: [
      { name: 'lab', description: "the handout's routes: a node, findNode, JOIN, STORE, LOOKUP, LEAVE, content" },
      { name: 'engineering', description: 'stabilization, replication, routing steps, membership news, ring unification' },
      { name: 'tools', description: 'traces, the message log, faults, this document' },
    ],
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: {
      schemas: COMPONENTS as unknown as Json,
      securitySchemes: { clusterSecret: { type: 'http', scheme: 'bearer', description: "the ring's cluster secret (state/secret), required on every write" } },
    },
  }
}
