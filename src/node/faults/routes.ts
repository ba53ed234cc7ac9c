// The node process's fault routes, beside the protocol's (node/main.ts merges them into its table):
// GET /faults reads the plan (open, like every read); PUT /faults replaces it and DELETE /faults clears
// it (writes: they need the cluster secret). Every answer is the plan then in force.
import type { RouteTable } from '../server/json-server.js'
import type { Faults } from './faults.js'
import { parsePlan, planJson } from './plan.js'

export const FAULTS_PATH = '/faults'

export function faultRoutes(faults: Faults): RouteTable {
  return {
    [FAULTS_PATH]: {
      GET: { handler: async () => ({ body: planJson(faults.plan) }) },
      // The whole plan: fields left out are off, so {} clears every fault.
      PUT: { write: true, handler: async ({ body }) => ({ body: planJson(faults.replace(parsePlan(body))) }) },
      DELETE: { write: true, handler: async () => ({ body: planJson(faults.clear()) }) },
    },
  }
}
