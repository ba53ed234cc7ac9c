// make torture [SECONDS=30] [SEED=n]: a ring of its own under four clients and a seeded nemesis (joins,
// leaves, crashes of at most r-1 adjacent nodes, a slow node, lost calls, partitions, heals), then every
// value read back, after a drop phase (10 % of node-to-node calls lost, lookups of values that must be
// there). Prints Jepsen's set figures, the drop phase's lookup success, the seed and the nemesis's
// timeline; exits 1 if any acknowledged value was lost, any acknowledged delete undone, or a lookup in
// the drop phase answered NOT_FOUND for a value that is there. Nothing of the user's ring is touched:
// the ring lives in a private state directory on ports the OS chooses.
import { randomInt } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { toolEnvironment } from '../src/tools/environment.js'
import { defaultSettings, NetworkStateFile } from '../src/tools/network-state.js'
import { failLine, info, ok, pc, plural, runTool, StatusLine, warn } from '../src/tools/output.js'
import { RingClient } from '../src/tools/ring-client.js'
import { ToolError } from '../src/node/errors.js'
import { formatSetReport } from '../src/workbench/workload/set-checker.js'
import { removeState, runTorture } from '../src/workbench/workload/torture.js'

/** Lookups of the drop phase, 8 in flight. */
const DROP_LOOKUPS = 200

runTool(async () => {
  const { args } = toolEnvironment()
  const seconds = args.integer('seconds')
  const seed = args.given('seed') ?? randomInt(0, 2 ** 31)
  const settings = args.ringSettings(defaultSettings())
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chord-lab-torture-'))
  const state = new NetworkStateFile(dir, { host: '127.0.0.1', basePort: 0 })
  info(`torture: seed ${seed} (SEED=${seed} replays it), ${seconds} s, 10 nodes, r = ${settings.replicas}; ring in ${dir}`)
  const status = new StatusLine()
  const result = await runTorture({
    seconds,
    seed,
    nodes: 10,
    settings,
    dropLookups: DROP_LOOKUPS,
    state,
    makeClient: (s) => new RingClient(settings.bits, { secret: s.readSecret(), auth: settings.auth, timeoutMs: settings.timeoutMs }),
    progress: (line) => status.update(line, line.replace(/\d+ s, \d+ s left · \d+/, '')),
  })
  status.end()
  const { report } = result
  info(`nemesis: ${result.timeline.join(', ') || 'nothing happened'}`)
  const undone = report.undoneDeletes.length
  const lost = report.lost.length
  const indeterminate = report.indeterminate.stores + report.indeterminate.deletes + report.indeterminate.lookups
  const line =
    `seed ${seed}: ${report.acknowledged} acknowledged, ${report.found} found, ${pc.bold(`${lost} lost`)}, ${indeterminate} indeterminate (timeouts); ` +
    `${report.deleted} deletes, ${undone} undone; ${report.falseNotFound.length} NOT_FOUND while a value's copies were cut off (partitions); ` +
    `${plural(result.nodesAtEnd, 'node')} at the end, settled ${(result.settleMs / 1000).toFixed(1)} s after the last heal`
  if (result.problems.length > 0) warn(`the ring did not settle: ${result.problems.slice(0, 3).join('; ')}`)
  const drop = result.drop
  if (drop && drop.lookups > 0) {
    const percent = (100 * drop.succeeded) / drop.lookups
    const codes = Object.entries(drop.codes).map(([code, n]) => `${code} ${n}`).join(', ')
    const dropLine = `drop phase, ${Math.round(drop.dropRate * 100)} % of node-to-node calls lost: ${drop.succeeded} of ${drop.lookups} lookups of stored values succeeded (${percent.toFixed(1)} %, target ≥ 99 %), p50 ${drop.p50Ms.toFixed(0)} ms, ${drop.notFound} NOT_FOUND${codes ? ` (failures: ${codes})` : ''}`
    if (percent >= 99 && drop.notFound === 0) info(dropLine)
    else warn(dropLine)
  }
  if (lost > 0 || undone > 0 || (drop?.notFound ?? 0) > 0) {
    failLine(formatSetReport(report))
    warn(`node logs kept in ${dir}`)
    throw new ToolError('RING_BROKEN', `${line}${drop?.notFound ? `; ${drop.notFound} lookups of the drop phase answered NOT_FOUND for a value that is there` : ''}`)
  }
  removeState(state)
  ok(line)
})
