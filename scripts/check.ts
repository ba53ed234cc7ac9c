// make check: inspect the running ring from outside; exit 1 with the list of violations if any.
import { openRing } from '../src/cli/open-ring.js'
import { failLine, ok, plural, runTool } from '../src/cli/output.js'
import { ringProblems } from '../src/cli/ring-health.js'
import { takeSnapshot } from '../src/cli/ring-snapshot.js'

runTool(async () => {
  const ring = openRing()
  const snapshot = await takeSnapshot(ring.client, ring.state, { content: true })
  const problems = ringProblems(snapshot)
  const values = snapshot.nodes.reduce((sum, n) => sum + (n.entries?.length ?? 0), 0)
  if (problems.length === 0) {
    ok(`ring healthy: ${snapshot.nodes.length} nodes in one ordered ring, pointers and successor lists consistent, every key on its owner with ${plural(snapshot.replicas, 'copy', 'copies')} (${values} held)`)
    return
  }
  for (const problem of problems) failLine(problem)
  throw new Error(`${problems.length} violation${problems.length === 1 ? '' : 's'} found`)
})
