// make monitor [ONCE=1] [JSON=1] [INTERVAL_MS=1000]: the whole ring, refreshed until Ctrl-C; its health
// classified as make check classifies it, so a ring settling after a join is not shown as broken.
import { openStateFile, toolEnvironment } from '../src/tools/environment.js'
import { renderFrame, snapshotJson } from '../src/workbench/terminal/monitor-view.js'
import { openRing } from '../src/tools/open-ring.js'
import { pc, runTool, terminalColumns } from '../src/tools/output.js'
import { ringFindings } from '../src/tools/ring-health.js'
import { takeSnapshot, type RingSnapshot } from '../src/tools/ring-snapshot.js'
import { sleep } from '../src/tools/ring-ops.js'

runTool(async () => {
  const tool = toolEnvironment()
  const once = tool.args.switch('once')
  const asJson = tool.args.switch('json')
  const intervalMs = tool.args.integer('intervalMs')
  const ring = openRing(openStateFile(tool))
  let previous: RingSnapshot | undefined
  let stopping = false
  process.on('SIGINT', () => {
    stopping = true
  })
  for (;;) {
    // The state is read again each frame, so nodes added or removed meanwhile show up.
    const state = ring.file.read() ?? ring.state
    const snapshot = await takeSnapshot(ring.client, state, { content: true })
    // Classified as make check classifies: a ring still repairing itself after a join is settling, not broken.
    const findings = ringFindings(snapshot, { fingers: true })
    if (asJson) {
      console.log(JSON.stringify(snapshotJson(snapshot, ring.client, findings), null, once ? 2 : undefined))
    } else {
      const frame = renderFrame(snapshot, previous, ring.client, findings, terminalColumns())
      if (!once && process.stdout.isTTY) process.stdout.write('\x1b[2J\x1b[H')
      console.log(frame)
      if (!once) console.log(pc.dim(`  refreshing every ${intervalMs} ms; Ctrl-C to stop`))
    }
    if (once || stopping) return
    previous = snapshot
    await sleep(intervalMs)
    if (stopping) return
  }
})
