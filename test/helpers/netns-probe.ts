// Run inside a test host (ip netns exec …): stores or looks up the values given in PROBE_VALUES through
// this host's nodes and prints one JSON line { ok, failed: [{ value, error }] }. The test process itself
// cannot reach the hosts' addresses, so it asks this script to.
import { openStateFile } from '../../src/tools/environment.js'
import { openRing } from '../../src/tools/open-ring.js'
import { errorMessage } from '../../src/node/errors.js'

const action = process.env.PROBE_ACTION
const values = JSON.parse(process.env.PROBE_VALUES ?? '[]') as string[]
const ring = openRing(openStateFile())
let ok = 0
const failed: Array<{ value: string; error: string }> = []
for (const value of values) {
  try {
    if (action === 'store') await ring.client.store(ring.entry(), value)
    else await ring.client.lookup(ring.entry(), value)
    ok++
  } catch (error) {
    failed.push({ value, error: errorMessage(error) })
  }
}
ring.client.close()
console.log(JSON.stringify({ ok, failed }))
