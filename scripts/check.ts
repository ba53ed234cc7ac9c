// make check [WAIT=seconds]: inspect the running ring from outside. Anything broken (not one ring in id
// order, a key missing from its owner, a recorded node that does not answer) fails at once. While only
// settling remains (copies not yet made or cleaned up, pointers, successor lists and fingers catching
// up), it waits, saying what for, and exits 0 once the ring is healthy, or 1 when the wait runs out.
import { ToolError } from '../src/node/errors.js'
import { openStateFile, toolEnvironment } from '../src/tools/environment.js'
import { openRing } from '../src/tools/open-ring.js'
import { failLine, info, ok, plural, runTool, StatusLine } from '../src/tools/output.js'
import { defaultSettleWaitMs, problemLine, ringFindings, settlingSummary } from '../src/tools/ring-health.js'
import { sleep } from '../src/tools/ring-ops.js'
import { takeSnapshot } from '../src/tools/ring-snapshot.js'
import { hasVirtualNodes, processCount, processesOf } from '../src/tools/ring-processes.js'
import type { Finding } from '../src/tools/ring-classification.js'

const SHOWN = 20

function printAll(findings: Finding[]): void {
  for (const finding of findings.slice(0, SHOWN)) failLine(problemLine(finding))
  if (findings.length > SHOWN) failLine(`… and ${findings.length - SHOWN} more`)
}

runTool(async () => {
  const tool = toolEnvironment()
  const waitSeconds = tool.args.given('wait')
  const ring = openRing(openStateFile(tool))
  const waitMs = waitSeconds !== undefined ? waitSeconds * 1000 : defaultSettleWaitMs(ring.state.settings)
  const started = Date.now()
  const status = new StatusLine()
  for (;;) {
    // The state is read again each round, so nodes added or removed meanwhile are seen.
    const snapshot = await takeSnapshot(ring.client, ring.file.read() ?? ring.state, { content: true })
    const findings = ringFindings(snapshot, { fingers: true })
    const broken = findings.filter((f) => f.severity === 'broken')
    const settling = findings.filter((f) => f.severity === 'settling')
    const waited = Date.now() - started
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
    if (broken.length > 0) {
      status.end()
      printAll(broken)
      if (settling.length > 0) info(`also settling: ${settlingSummary(settling)}`)
      throw new ToolError('RING_BROKEN', `the ring is broken: ${plural(broken.length, 'problem')} that maintenance does not repair`)
    }
    if (settling.length === 0) {
      status.end()
      const values = snapshot.nodes.reduce((sum, n) => sum + (n.entries?.length ?? 0), 0)
      // With virtual nodes a key's copies are on r different processes (src/node/protocol/placement.ts).
      const processes = processesOf(snapshot.nodes)
      const copies = plural(Math.min(snapshot.replicas, processes), 'copy', 'copies')
      const [nodes, spread] = hasVirtualNodes(snapshot.nodes)
        ? [`${plural(snapshot.nodes.length, 'virtual node')} of ${processCount(processes)}`, `${copies} on ${processCount(Math.min(snapshot.replicas, processes))}`]
        : [`${snapshot.nodes.length} nodes`, copies]
      ok(
        `ring healthy${waited > 0 ? ` (settled in ${seconds(waited)})` : ''}: ${nodes} in one ordered ring, pointers, successor lists and fingers ` +
          `consistent, every key on its owner with ${spread} (${values} held)`,
      )
      return
    }
    if (waited >= waitMs) {
      status.end()
      printAll(settling)
      throw new ToolError('RING_SETTLING', `the ring is still settling after ${seconds(waited)} (WAIT=seconds waits longer): ${settlingSummary(settling)}`)
    }
    const kinds = [...new Set(settling.map((f) => f.kind))].join(',')
    status.update(`settling, waiting up to ${seconds(waitMs)} (${seconds(waited)} so far): ${settlingSummary(settling)}`, kinds)
    await sleep(Math.min(ring.state.settings.stabilizeMs, waitMs - waited))
  }
})
