// The server's side of the metrics: a wrapper around a node's dispatch that counts every request it
// answers by method, route and status, and observes how long the answer took. Routes are labelled by
// the API's declared paths (anything else is "other"), never by the raw URL, so the series stay few.
import type { Wrapper } from '../server/json-server.js'
import type { NodeMetrics } from './node-metrics.js'

export function metricsWrapper(metrics: NodeMetrics): Wrapper {
  return (next) => async (request) => {
    if (!metrics.counting) return next(request)
    const start = performance.now()
    const reply = await next(request)
    metrics.request(request.method, request.path, reply.status ?? 200, (performance.now() - start) / 1000)
    return reply
  }
}
