// make demo: the whole lab in one go. Boot, grow to 10 nodes, store and look up 20 sentences,
// print the ring, and leave it running for make monitor / make lookup / make killall.
import { renderFrame } from '../src/workbench/terminal/monitor-view.js'
import { preview } from '../src/node/text.js'
import { openStateFile } from '../src/tools/environment.js'
import { defaultSettings } from '../src/tools/network-state.js'
import { lipsumSentences } from '../src/tools/lipsum.js'
import { openRing } from '../src/tools/open-ring.js'
import { info, nodeLabel, ok, pc, plural, portList, Progress, runTool, shortId, terminalColumns } from '../src/tools/output.js'
import { ringFindings } from '../src/tools/ring-health.js'
import { addNode, bootRing, sleep } from '../src/tools/ring-ops.js'
import { takeSnapshot } from '../src/tools/ring-snapshot.js'
import { stopRing, surveyLine } from '../src/tools/ring-survey.js'

const ADDED_NODES = 8
const SENTENCES = 20

runTool(async () => {
  const file = openStateFile()
  const previous = await stopRing(file)
  if (previous) info(`stopped the ring that was running: ${surveyLine(previous)}`)
  const [first, second] = await bootRing(file, defaultSettings())
  ok(`booted a ring of two on ports ${portList([first!.port, second!.port])}: ${nodeLabel(first!)} ⇄ ${nodeLabel(second!)}`)

  const progress = new Progress('adding nodes', ADDED_NODES)
  for (let i = 0; i < ADDED_NODES; i++) {
    await addNode(file)
    progress.tick()
  }
  progress.end()
  const ports = () => portList(file.readProcessList().map((p) => p.port))
  ok(`${ADDED_NODES} nodes joined: the ring has ${file.readProcessList().length} nodes on ports ${ports()}`)

  const ring = openRing(file)
  const sentences = lipsumSentences().slice(0, SENTENCES)
  for (const sentence of sentences) await ring.client.store(ring.entry(), sentence)
  ok(`stored ${SENTENCES} sentences from lipsum.txt, each through a random node`)

  // Let every node refresh its fingers once, so the lookups below take the short routes.
  info(`waiting ${(defaultSettings().fingerMs / 1000).toFixed(0)} s for one fix_fingers period…`)
  await sleep(defaultSettings().fingerMs + 200)
  let hops = 0
  for (const sentence of sentences) {
    const entry = ring.entry()
    const found = await ring.client.lookup(entry, sentence)
    hops += found.hops
    const text = preview(sentence, 44)
    console.log(`  ${pc.green('found')} ${pc.dim(shortId(found.key))} ${JSON.stringify(text).padEnd(48)} on ${nodeLabel(found.node)} ${pc.dim(`asked @${entry.port}, ${plural(found.hops, 'hop')}`)}`)
  }
  ok(`all ${SENTENCES} found, mean ${(hops / SENTENCES).toFixed(2)} hops (½·log2 N = ${(Math.log2(file.readProcessList().length) / 2).toFixed(2)})`)

  const snapshot = await takeSnapshot(ring.client, ring.file.read() ?? ring.state, { content: true })
  console.log()
  console.log(renderFrame(snapshot, undefined, ring.client, ringFindings(snapshot, { fingers: true }), terminalColumns()))
  console.log()
  info(`the ring is still running on ports ${ports()}. Watch it: ${pc.bold('make monitor')}  ·  try ${pc.bold('make lookup V="Etiam tempor."')}, ${pc.bold('make add')}, ${pc.bold('make leave')}  ·  stop it: ${pc.bold('make killall')}`)
})
