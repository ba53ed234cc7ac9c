// make prometheus: a real Prometheus scraping every node of the ring. Writes the scrape configuration
// and the ring's nodes into state/prometheus/, starts Debian's prometheus on a free loopback port (or,
// when one runs already, only writes the nodes again: it re-reads them itself) and prints its address.
import { openStateFile, toolEnvironment } from '../src/tools/environment.js'
import { info, ok, plural, runTool } from '../src/tools/output.js'
import { PrometheusFiles, prometheusUrl, runningPrometheus, startPrometheus, writeScrapeFiles } from '../src/tools/prometheus.js'

/** Seconds between two scrapes of a node: short, so a lab sees a change within a few seconds. */
const SCRAPE_SECONDS = 5

runTool(async () => {
  const tool = toolEnvironment()
  const state = openStateFile(tool)
  const ring = state.requireRing()
  const files = new PrometheusFiles(tool.stateDir)
  writeScrapeFiles(files, ring.processes, SCRAPE_SECONDS)
  const nodes = plural(ring.processes.length, 'node')
  if (ring.settings.impl === 'lab') info('this ring runs the lab node (IMPL=lab), which serves no /metrics: every scrape will fail')
  else if (!ring.settings.metrics) info('this ring was booted with METRICS=0: its nodes serve no /metrics, so every scrape will fail')
  const running = runningPrometheus(files)
  if (running) {
    ok(`Prometheus already runs at ${prometheusUrl(running)} (pid ${running.pid}): it now scrapes ${nodes}`)
    return
  }
  const started = await startPrometheus(files)
  ok(`Prometheus at ${prometheusUrl(started)} (pid ${started.pid}) scrapes ${nodes} every ${SCRAPE_SECONDS} s; make prometheus again after adding nodes, make killall stops it`)
  info(`try ${prometheusUrl(started)}/graph?g0.expr=${encodeURIComponent('sum by (route) (rate(chord_requests_total[1m]))')}  (configuration: ${files.config})`)
})
