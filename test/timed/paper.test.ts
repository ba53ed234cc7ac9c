// make paper in miniature: every experiment on a small plan, run twice with one seed (identical figures,
// bit for bit) and once with another (different figures), each figure within loose bounds of the paper's.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { paperReport } from '../../src/workbench/report/paper-figures.js'
import { PAPER_FAILURES } from '../../src/workbench/report/paper-reference.js'
import { PAPER_LATENCY } from '../../src/workbench/sim/latency.js'
import { runPaper, type PaperPlan } from '../../src/workbench/sim/paper-run.js'

const TINY: PaperPlan = {
  latency: PAPER_LATENCY,
  timeoutMs: 500,
  load: { nodes: 1000, totals: [20_000, 100_000], vnodes: [1, 20], vnodeKeys: 100_000 },
  paths: { sizes: [64, 1024], lookups: 300, histogramAt: 1024, replicas: 3 },
  failures: { n: 300, r: 10, fractions: [0, 0.5], lookups: 300 },
  churn: { n: 100, r: 10, rates: [0.2], lookups: 150, lookupRate: 5, warmupSeconds: 30, periodMs: 10_000 },
}

test('one seed gives identical figures, another seed different ones; each within loose bounds of the paper', async () => {
  const first = await runPaper(TINY, 42)
  const again = await runPaper(TINY, 42)
  assert.deepEqual(again.figures, first.figures, 'the same seed, the same figures')
  const other = await runPaper(TINY, 43)
  assert.notDeepEqual(other.figures, first.figures, 'another seed, other figures')

  const { load, vnodes, paths, failures, churn } = first.figures
  for (const row of load) assert.ok(row.p99OverMean > 3.5 && row.p99OverMean < 6.5 && row.p1 <= row.mean * 0.1, `Fig. 8: p99/mean ${row.p99OverMean}`)
  assert.ok(vnodes[0]!.p99OverMean > 3.5 && vnodes[1]!.p99OverMean < 2.6, `Fig. 9: p99/mean ${vnodes.map((r) => r.p99OverMean)}`)
  for (const row of paths) {
    assert.equal(row.failed, 0)
    assert.ok(Math.abs(row.hops.mean - row.halfLog2N) < 1, `Fig. 10: ${row.hops.mean} hops at N = ${row.n}`)
    assert.ok(Math.abs(row.latencyMs.mean / row.hopsTimesRoundTripMs - 1) < 0.2, `latency ${row.latencyMs.mean} ms against ${row.hopsTimesRoundTripMs}`)
  }
  assert.ok(paths.find((row) => row.n === 1024)?.histogram, 'the distribution at the asked N')
  const [calm, stormy] = failures
  assert.equal(calm!.timeouts.mean, 0)
  assert.equal(calm!.failed, 0)
  assert.ok(stormy!.hops.mean > calm!.hops.mean, 'failures lengthen paths')
  assert.ok(stormy!.timeouts.mean > 1 && stormy!.timeouts.mean < 2 * PAPER_FAILURES.rows[5].timeouts, `Table II: ${stormy!.timeouts.mean} timeouts at p = 0.5`)
  assert.ok(Math.abs(stormy!.ownerFailed - 0.5) < 0.1, 'about half the keys lost their owner')
  assert.ok(churn[0]!.failedPer10k < 200 && churn[0]!.joins > 0 && churn[0]!.failures > 0, `Table III: ${churn[0]!.failedPer10k} failed per 10k`)
  const report = paperReport(first.figures, TINY, 42)
  assert.deepEqual(report.map((figure) => figure.key), ['fig8', 'fig9', 'fig10', 'latency', 'fig11', 'fig12'])
  for (const figure of report) assert.ok(figure.title.includes('seed 42') && figure.verdict.length > 40 && figure.charts.length > 0, figure.key)
})
