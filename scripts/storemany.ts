// make storemany N=100: STORE N random sentences from lipsum.txt, each straight at its key's owner (the
// client keeps a copy of the ring; a node that does not own a key says MOVED, and the client follows).
import { openStateFile, toolEnvironment } from '../src/tools/environment.js'
import { randomSentences } from '../src/tools/lipsum.js'
import { openRing } from '../src/tools/open-ring.js'
import { errorMessage, failLine, ok, Progress, runTool } from '../src/tools/output.js'
import { pool } from '../src/workbench/report/load.js'
import { isDhtError, ToolError } from '../src/node/errors.js'

const IN_FLIGHT = 8

runTool(async () => {
  const tool = toolEnvironment()
  const count = tool.args.integer('count', 'storemany')
  const ring = openRing(openStateFile(tool))
  const sentences = randomSentences(count)
  const progress = new Progress('storing', count)
  const errors: string[] = []
  /** Stores whose answer never came: they may have been stored. */
  const unknown: string[] = []
  let redirects = 0
  const started = Date.now()
  await pool(sentences.length, IN_FLIGHT, async (i) => {
    try {
      const stored = await ring.direct.store(sentences[i]!)
      redirects += stored.redirects
      progress.tick()
    } catch (error) {
      if (isDhtError(error, 'PEER_TIMEOUT')) unknown.push(errorMessage(error))
      else errors.push(errorMessage(error))
      progress.tick(true)
    }
  })
  progress.end()
  const stored = count - errors.length - unknown.length
  const unknownPart = unknown.length > 0 ? `; ${unknown.length} got no answer and may have been stored` : ''
  if (errors.length > 0) {
    for (const e of new Set(errors)) failLine(e)
    throw new ToolError('PARTLY_FAILED', `${errors.length} of ${count} stores failed${unknownPart}`)
  }
  if (unknown.length > 0) throw new ToolError('OUTCOME_UNKNOWN', `unknown outcome: ${stored} of ${count} stored${unknownPart} (${[...new Set(unknown)][0]})`)
  const { direct, routed } = ring.direct.counts
  ok(`stored ${stored} values in ${((Date.now() - started) / 1000).toFixed(2)} s: ${direct} straight to the owner, ${routed} routed, ${redirects} redirects followed`)
})
