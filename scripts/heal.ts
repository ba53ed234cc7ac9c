// make heal: every fault cleared on every node of the ring (partition, drops, slowness, delay).
import { openStateFile, toolEnvironment } from '../src/cli/environment.js'
import { openRing } from '../src/cli/open-ring.js'
import { ok, runTool } from '../src/cli/output.js'
import { failuresOf, healAll, ringNodes } from '../src/faults/ring-faults.js'
import { isHealthy } from '../src/faults/plan.js'

runTool(async () => {
  const ring = openRing(openStateFile(toolEnvironment()))
  const changes = await healAll(ring.client, await ringNodes(ring))
  const before = changes.changed.map((c) => c.before)
  const had = (what: string, test: (plan: (typeof before)[number]) => boolean) => {
    const n = before.filter(test).length
    return n > 0 ? `${what} on ${n}` : ''
  }
  const cleared = [
    had('partition lifted', (p) => p.blocked.length > 0),
    had('drops stopped', (p) => p.dropRate > 0),
    had('slowness ended', (p) => p.slowMs > 0),
    had('delay removed', (p) => p.delayMs > 0 || p.jitterMs > 0),
  ].filter(Boolean)
  const nodes = `${changes.changed.length} node${changes.changed.length === 1 ? '' : 's'}`
  if (before.every(isHealthy)) ok(`nothing to heal: no faults on any of the ${nodes}`)
  else ok(`healed ${nodes}: ${cleared.join(', ')}`)
  const failure = failuresOf(changes, 'make heal')
  if (failure) throw failure
})
