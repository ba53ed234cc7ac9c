// `make paper`'s report: each figure of the Chord paper's §V as a table of our numbers beside the
// paper's, one line saying where they differ and why, and its SVG plot. Pure: figures in, text and
// charts out (scripts/paper.ts prints and writes them).
import type { PaperFigures, PaperPlan } from '../sim/paper-run.js'
import type { Chart } from './report-files.js'
import { PAPER_CHURN, PAPER_FAILURES, PAPER_LOAD, PAPER_NETWORK, PAPER_PATHS, PAPER_VNODES, nearestRow } from './paper-reference.js'

export interface FigureReport {
  key: string
  title: string
  header: string[]
  rows: string[][]
  /** Where ours and the paper's differ, and why. */
  verdict: string
  charts: Chart[]
}

const BLUE = '#2563eb'
const GREEN = '#059669'
const RED = '#dc2626'
const GREY = '#6b7280'
const f = (x: number, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : '—')
const power = (n: number) => `2^${Math.log2(n)}`
const thousands = (n: number) => n.toLocaleString('en-US')

export function paperReport(figures: PaperFigures, plan: PaperPlan, seed: number): FigureReport[] {
  return [loadFigure(figures, plan), vnodeFigure(figures, plan), pathFigure(figures, plan), latencyFigure(figures, plan), failureFigure(figures, plan), churnFigure(figures, plan)].map((figure) => ({
    ...figure,
    title: `${figure.title} (seed ${seed})`,
    charts: figure.charts.map((chart) => ({ ...chart, options: { ...chart.options, title: `${chart.options.title} — seed ${seed}` } })),
  }))
}

function loadFigure({ load }: PaperFigures, plan: PaperPlan): FigureReport {
  const ratios = load.map((row) => row.p99OverMean)
  const paper = PAPER_LOAD.p99OverMean
  return {
    key: 'fig8',
    title: `Fig. 8 — keys per node, ${thousands(plan.load.nodes)} nodes`,
    header: ['keys', 'mean', 'p1', 'p99', 'p99/mean', 'paper p99/mean'],
    rows: load.map((row) => [thousands(row.keys), f(row.mean, 1), String(row.p1), String(row.p99), f(row.p99OverMean), `${paper.low}–${paper.high}`]),
    verdict:
      `p99/mean ${f(Math.min(...ratios))}–${f(Math.max(...ratios))} against the paper's ${paper.low}–${paper.high}, and p1 = 0 in both: a node's share of the ring is ` +
      `about exponential, whose 99th percentile is ln 100 ≈ 4.6 × its mean; what is left is sampling noise (other ids, fewer keys per node at 10^5 keys).`,
    charts: [
      {
        file: 'paper-fig8-load.svg',
        series: [
          { name: 'mean', color: BLUE, points: load.map((r) => ({ x: r.keys / 1e5, y: r.mean })) },
          { name: '99th percentile', color: GREEN, points: load.map((r) => ({ x: r.keys / 1e5, y: r.p99 })) },
          { name: '1st percentile', color: GREY, points: load.map((r) => ({ x: r.keys / 1e5, y: r.p1 })) },
          { name: `paper p99 ≈ ${(paper.low + paper.high) / 2}×mean`, color: RED, dashed: true, points: load.map((r) => ({ x: r.keys / 1e5, y: r.mean * ((paper.low + paper.high) / 2) })) },
        ],
        options: { title: `Keys per node, ${thousands(plan.load.nodes)} nodes (Fig. 8)`, xLabel: 'keys in the ring (×10^5)', yLabel: 'keys per node' },
      },
    ],
  }
}

function vnodeFigure({ vnodes }: PaperFigures, plan: PaperPlan): FigureReport {
  const at = (v: number) => vnodes.find((row) => row.x === v)
  const paper = PAPER_VNODES.p99OverMean
  return {
    key: 'fig9',
    title: `Fig. 9 — keys per real node with v virtual nodes, ${thousands(plan.load.nodes)} nodes, ${thousands(plan.load.vnodeKeys)} keys`,
    header: ['v', 'mean', 'p1', 'p99', 'p1/mean', 'p99/mean', 'paper p1/mean', 'paper p99/mean'],
    rows: vnodes.map((row) => [
      String(row.x),
      f(row.mean, 1),
      String(row.p1),
      String(row.p99),
      f(row.p1OverMean),
      f(row.p99OverMean),
      String(PAPER_VNODES.p1OverMean.find((p) => p.v === row.x)?.value ?? ''),
      String(paper.find((p) => p.v === row.x)?.value ?? ''),
    ]),
    verdict:
      `p99/mean falls from ${f(at(1)?.p99OverMean ?? NaN)} at v = 1 to ${f(at(20)?.p99OverMean ?? NaN)} at v = 20, the paper's ${paper[0]!.value} to ${paper[1]!.value}, ` +
      `and p1/mean rises from ${f(at(1)?.p1OverMean ?? NaN)} to ${f(at(20)?.p1OverMean ?? NaN)}, the paper's ${PAPER_VNODES.p1OverMean[0].value} to ${PAPER_VNODES.p1OverMean[1].value}: ` +
      `a real node's share is then the sum of v exponential arcs (a gamma of shape v). ` +
      (plan.load.vnodeKeys < PAPER_VNODES.keys ? `With ${thousands(plan.load.vnodeKeys)} keys (QUICK) the keys' own Poisson noise keeps p99/mean higher than with the paper's 10^6.` : 'Differences are sampling noise.'),
    charts: [
      {
        file: 'paper-fig9-vnodes.svg',
        series: [
          { name: 'p99 / mean', color: GREEN, points: vnodes.map((r) => ({ x: r.x, y: r.p99OverMean })) },
          { name: 'p1 / mean', color: GREY, points: vnodes.map((r) => ({ x: r.x, y: r.p1OverMean })) },
          { name: 'paper p99 / mean', color: RED, dashed: true, points: paper.map((p) => ({ x: p.v, y: p.value })) },
        ],
        options: { title: 'Keys per real node over the mean, v virtual nodes (Fig. 9)', xLabel: 'virtual nodes per real node (v)', yLabel: 'percentile / mean' },
      },
    ],
  }
}

function pathFigure({ paths }: PaperFigures, plan: PaperPlan): FigureReport {
  const worst = Math.max(...paths.map((row) => Math.abs(row.hops.mean - row.halfLog2N)))
  const below = paths.filter((row) => row.n >= 64).every((row) => row.hops.mean <= row.halfLog2N)
  const histogram = paths.find((row) => row.histogram)
  const mode = histogram?.histogram ? histogram.histogram.indexOf(Math.max(...histogram.histogram)) : undefined
  const largest = paths.at(-1)
  return {
    key: 'fig10',
    title: `Fig. 10 — path length, N = ${power(paths[0]?.n ?? 8)} … ${power(largest?.n ?? 8)}, ${thousands(plan.paths.lookups)} lookups each`,
    header: ['N', 'mean hops', 'p1', 'p99', '½·log2 N', 'failed'],
    rows: paths.map((row) => [power(row.n), f(row.hops.mean, 3), String(row.hops.p1), String(row.hops.p99), f(row.halfLog2N), String(row.failed)]),
    verdict:
      `Mean hops within ${f(worst)} of ½·log2 N at every N up to ${power(largest?.n ?? 8)} (the paper went to ${power(PAPER_PATHS.largestN)})` +
      (below ? `, a little below it: routing also offers the successor list (r = ${plan.paths.replicas}) as next hops, which shortens the last steps.` : '.') +
      (mode !== undefined && histogram ? ` At N = ${power(histogram.n)} the distribution peaks at ${mode} hops (the paper's: ${PAPER_PATHS.modeAt4096}).` : ''),
    charts: [
      {
        file: 'paper-fig10-paths.svg',
        series: [
          { name: 'mean hops (p1–p99)', color: BLUE, points: paths.map((r) => ({ x: r.n, y: r.hops.mean })), low: paths.map((r) => r.hops.p1), high: paths.map((r) => r.hops.p99) },
          { name: '½·log2 N (paper)', color: RED, dashed: true, points: paths.map((r) => ({ x: r.n, y: r.halfLog2N })) },
        ],
        options: { title: 'Path length against N (Fig. 10a)', xLabel: 'nodes N (log scale)', yLabel: 'hops', logX: true, xTick: power },
      },
      ...(histogram?.histogram
        ? [
            {
              file: 'paper-fig10-pdf.svg',
              series: [{ name: `N = ${power(histogram.n)}`, color: BLUE, points: histogram.histogram.map((count, hops) => ({ x: hops, y: count / histogram.lookups })) }],
              options: { title: `Path length distribution at N = ${power(histogram.n)} (Fig. 10b)`, xLabel: 'hops', yLabel: 'fraction of lookups' },
            },
          ]
        : []),
    ],
  }
}

function latencyFigure({ paths }: PaperFigures, plan: PaperPlan): FigureReport {
  const ratio = paths.filter((row) => row.n >= 64).map((row) => row.latencyMs.mean / row.hopsTimesRoundTripMs)
  return {
    key: 'latency',
    title: `Lookup latency in simulated ms, ${plan.latency.kind} delays of mean ${plan.latency.meanMs} ms`,
    header: ['N', 'mean ms', 'p1 ms', 'p99 ms', 'hops × 2 × mean delay'],
    rows: paths.map((row) => [power(row.n), f(row.latencyMs.mean, 0), f(row.latencyMs.p1, 0), f(row.latencyMs.p99, 0), f(row.hopsTimesRoundTripMs, 0)]),
    verdict:
      `Latency is ${f(Math.min(...ratio))}–${f(Math.max(...ratio))} × mean hops × 2 × ${plan.latency.meanMs} ms: routing is iterative, so every hop is a request and a reply ` +
      `from the node looking up (one round trip, two mean delays), and the first step (the node asking itself) costs nothing. Recursive routing, which the paper's latency section discusses, would pay about half.`,
    charts: [
      {
        file: 'paper-latency.svg',
        series: [
          { name: 'mean latency (p1–p99)', color: BLUE, points: paths.map((r) => ({ x: r.n, y: r.latencyMs.mean })), low: paths.map((r) => r.latencyMs.p1), high: paths.map((r) => r.latencyMs.p99) },
          { name: 'hops × 2 × mean delay', color: RED, dashed: true, points: paths.map((r) => ({ x: r.n, y: r.hopsTimesRoundTripMs })) },
        ],
        options: { title: 'Lookup latency against N', xLabel: 'nodes N (log scale)', yLabel: 'simulated ms', logX: true, xTick: power },
      },
    ],
  }
}

function failureFigure({ failures }: PaperFigures, plan: PaperPlan): FigureReport {
  const paper = (p: number) => nearestRow(PAPER_FAILURES.rows, 'p', p)
  const last = failures.at(-1)
  const lastPaper = last ? paper(last.p) : undefined
  const pct = (x: number) => `${f(100 * x, 1)}%`
  const spread = (s: { mean: number; p1: number; p99: number }) => `${f(s.mean)} (${s.p1}, ${s.p99})`
  return {
    key: 'fig11',
    title: `Fig. 11 / Table II — ${plan.failures.n} nodes, r = ${plan.failures.r}, a fraction p failing at once, stabilization off, ${thousands(plan.failures.lookups)} lookups`,
    header: ['p', 'failed', 'owner failed', 'hops, 1st lookups', 'paper', 'timeouts, 1st lookups', 'paper', 'hops, all', 'timeouts, all'],
    rows: failures.map((row) => [
      f(row.p, 1),
      pct(row.failed),
      pct(row.ownerFailed),
      spread(row.firstLookups.hops),
      f(paper(row.p)?.hops ?? NaN),
      spread(row.firstLookups.timeouts),
      f(paper(row.p)?.timeouts ?? NaN),
      spread(row.hops),
      spread(row.timeouts),
    ]),
    verdict:
      (last && lastPaper
        ? `Over each node's first lookup, at p = ${last.p}: ${f(last.firstLookups.hops.mean)} hops and ${f(last.firstLookups.timeouts.mean)} timeouts against the paper's ${lastPaper.hops} and ${lastPaper.timeouts}; ` +
          `over all ${thousands(last.lookups)} lookups ${f(last.timeouts.mean)}, since the node looking up forgets a finger that timed out (the paper's simulation kept them). ` +
          `A timeout here is a failed node called, as the paper counts them; this protocol asks a silent node once more before giving up on it, so each costs two timed-out calls (${f(last.timedOutCalls.mean)} per lookup at p = ${last.p}) and a second. `
        : '') +
      `Paths run a little longer at high p: with fingers gone the route steps through nearer nodes (at most 3 candidates a step). Failed lookups: the paper's Fig. 11 ` +
      `counts a lookup as failed when its key's node failed (≈ p, our "owner failed" column: the keys lost without replicas); ours must reach the key's live owner, and with r = ${plan.failures.r} successors it does.`,
    charts: [
      {
        file: 'paper-fig11-failures.svg',
        series: [
          { name: 'hops, 1st lookups', color: BLUE, points: failures.map((r) => ({ x: r.p, y: r.firstLookups.hops.mean })) },
          { name: 'paper hops', color: BLUE, dashed: true, points: PAPER_FAILURES.rows.map((r) => ({ x: r.p, y: r.hops })) },
          { name: 'timeouts, 1st lookups', color: GREEN, points: failures.map((r) => ({ x: r.p, y: r.firstLookups.timeouts.mean })) },
          { name: 'paper timeouts', color: GREEN, dashed: true, points: PAPER_FAILURES.rows.map((r) => ({ x: r.p, y: r.timeouts })) },
          { name: 'timeouts, all lookups', color: GREY, points: failures.map((r) => ({ x: r.p, y: r.timeouts.mean })) },
          { name: 'failed lookups (%/10)', color: RED, points: failures.map((r) => ({ x: r.p, y: (100 * r.failed) / 10 })) },
          { name: 'owner failed (%/10)', color: RED, dashed: true, points: failures.map((r) => ({ x: r.p, y: (100 * r.ownerFailed) / 10 })) },
        ],
        options: { title: `After a fraction p of ${plan.failures.n} nodes fail (Fig. 11, Table II)`, xLabel: 'fraction of nodes failed (p)', yLabel: 'per lookup' },
      },
    ],
  }
}

function churnFigure({ churn }: PaperFigures, plan: PaperPlan): FigureReport {
  const paper = (rate: number) => nearestRow(PAPER_CHURN.rows, 'rate', rate)
  const worst = churn.reduce((max, row) => Math.max(max, row.failedPer10k), 0)
  const traffic = churn.map((row) => row.messagesPerNodeSecond)
  return {
    key: 'fig12',
    title: `Fig. 12 / Table III — ${plan.churn.n} nodes, r = ${plan.churn.r}, joins and failures at a rate each, stabilization every ${plan.churn.periodMs / 1000} s on average, ${thousands(plan.churn.lookups)} lookups`,
    header: ['rate/s', 'per period', 'failed /10k', 'paper', 'hops (p1, p99)', 'paper hops', 'timeouts (p1, p99)', 'paper timeouts', 'msgs/node/s'],
    rows: churn.map((row) => [
      f(row.rate),
      f(row.perPeriod, 1),
      f(row.failedPer10k, 1),
      String(paper(row.rate)?.failedPer10k ?? '—'),
      `${f(row.hops.mean)} (${row.hops.p1}, ${row.hops.p99})`,
      f(paper(row.rate)?.hops ?? NaN),
      `${f(row.timeouts.mean)} (${row.timeouts.p1}, ${row.timeouts.p99})`,
      f(paper(row.rate)?.timeouts ?? NaN),
      f(row.messagesPerNodeSecond, 1),
    ]),
    verdict:
      `At most ${f(worst, 1)} failed lookups per 10,000 against the paper's 0 … ${Math.max(...PAPER_CHURN.rows.map((r) => r.failedPer10k))}, and far fewer timeouts: this protocol tells the whole ring ` +
      `of every join and failure at once (announcements down the finger tree), so fingers skip a failed node within a second instead of at the next fix_fingers, and a quiet node's ` +
      `maintenance backs off while changes snap it back. The price is traffic: ${f(Math.min(...traffic), 1)}–${f(Math.max(...traffic), 1)} messages per node per second, growing with the rate ` +
      `(each failure is announced by each neighbour that notices it, each announcement reaching all N nodes).`,
    charts: [
      {
        file: 'paper-fig12-churn.svg',
        series: [
          { name: 'failed lookups /10k', color: RED, points: churn.map((r) => ({ x: r.rate, y: r.failedPer10k })) },
          { name: 'paper failed /10k', color: RED, dashed: true, points: PAPER_CHURN.rows.map((r) => ({ x: r.rate, y: r.failedPer10k })) },
          { name: 'timeouts ×10', color: GREEN, points: churn.map((r) => ({ x: r.rate, y: 10 * r.timeouts.mean })) },
          { name: 'paper timeouts ×10', color: GREEN, dashed: true, points: PAPER_CHURN.rows.map((r) => ({ x: r.rate, y: 10 * r.timeouts })) },
        ],
        options: { title: `Lookups under churn, ${plan.churn.n} nodes (Fig. 12, Table III)`, xLabel: 'joins and failures per second (each)', yLabel: 'per 10,000 lookups / per lookup ×10' },
      },
    ],
  }
}

/** The network the figures were simulated on, beside the paper's. */
export function networkLine(plan: PaperPlan): string {
  return `${plan.latency.kind} delays of mean ${plan.latency.meanMs} ms per ${plan.latency.per}, timeout ${plan.timeoutMs} ms (the paper: exponential, ${PAPER_NETWORK.meanDelayMs} ms, ${PAPER_NETWORK.timeoutMs} ms)`
}

/** A figure as aligned plain text: its header and rows in columns, then its verdict. */
export function figureLines(figure: FigureReport): string[] {
  const table = [figure.header, ...figure.rows]
  const widths = figure.header.map((_, column) => Math.max(...table.map((row) => (row[column] ?? '').length)))
  const line = (row: string[]) => row.map((cell, column) => cell.padStart(widths[column]!)).join('  ')
  return [line(figure.header), ...figure.rows.map(line)]
}
