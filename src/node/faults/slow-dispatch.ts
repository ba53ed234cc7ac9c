// A slow node, on the server's side: a wrapper around a node's dispatch (src/node/server/json-server.ts) that
// holds every request the node handles for the plan's slowMs before handling it, so its callers wait
// as they would for an overloaded machine. The fault routes themselves are never held: make heal must
// reach a slow node at once.
import type { Wrapper } from '../server/json-server.js'
import type { Faults } from './faults.js'
import { CLIENT_ROUTES } from '../api/client-routes.js'

export function slowDispatch(faults: Faults): Wrapper {
  return (next) => (request) => {
    const slowMs = faults.slowMs
    if (slowMs === 0 || request.path === CLIENT_ROUTES.faults.path) return next(request)
    return faults.sleep(slowMs).then(() => next(request))
  }
}
