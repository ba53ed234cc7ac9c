// make trace ID=<trace id> [SVG=file] [ALL=1]: any trace again, collected from every node of the ring, as
// a sequence diagram in the terminal, and as an SVG file when SVG= names one; ALL=1 keeps its maintenance.
import fs from 'node:fs'
import path from 'node:path'
import { openStateFile, toolEnvironment } from '../src/tools/environment.js'
import { openRing } from '../src/tools/open-ring.js'
import { ok, runTool } from '../src/tools/output.js'
import { printTrace, requireTrace } from '../src/workbench/terminal/trace-print.js'
import { sequenceSvg } from '../src/workbench/render/sequence-svg.js'

runTool(async () => {
  const tool = toolEnvironment()
  const traceId = tool.args.required('traceId', 'make trace ID=4bf92f3577b34da6a3ce929d0e0e4736').toLowerCase()
  const svgFile = tool.args.given('svgFile')
  const ring = openRing(openStateFile(tool))
  const collected = await requireTrace(ring, traceId)
  const maintenance = tool.args.switch('all')
  printTrace(collected, traceId, { maintenance })
  if (svgFile) {
    const file = path.resolve(svgFile)
    fs.writeFileSync(file, sequenceSvg(collected.messages, { maintenance }))
    ok(`wrote the diagram to ${file}`)
  }
})
