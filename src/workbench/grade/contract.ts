// Replies judged against the node API's OpenAPI document (the contract in openapi.json, which every node
// of this project also serves at GET /openapi.json): a 2xx body against the reply schema its route
// declares, an error against { error, code }. Part 1 holds every reply it sees to it.
import { allRoutes } from '../../node/api/openapi.js'
import { COMPONENTS, validate, type JsonSchema } from '../../node/api/schema.js'
import type { Exchange } from './probe.js'
import { fail } from './verdict.js'

const ROUTES = allRoutes()
const ERROR_SCHEMA: JsonSchema = COMPONENTS.Error!

/** What is wrong with the reply against the document (empty: it matches, or the document says nothing of it). */
export function contractProblems(exchange: Exchange): string[] {
  if (exchange.status === undefined || exchange.json === undefined) return []
  if (exchange.status >= 400) return validate(exchange.json, ERROR_SCHEMA)
  const pathname = exchange.path.split('?')[0]
  const route = ROUTES.find((r) => r.method === exchange.method && r.path === pathname)
  return route ? validate(exchange.json, route.reply) : []
}

/** Fails when the reply does not match what openapi.json declares for its route. */
export function conforms(exchange: Exchange): void {
  const problems = contractProblems(exchange)
  const pathname = exchange.path.split('?')[0]
  const what = exchange.status !== undefined && exchange.status >= 400 ? 'an error { error, code } (code in capitals)' : `the reply openapi.json declares for ${exchange.method} ${pathname}`
  if (problems.length > 0) fail(what, `${problems.slice(0, 3).join('; ')}${problems.length > 3 ? `; and ${problems.length - 3} more` : ''}`, exchange)
}
