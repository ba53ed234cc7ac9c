// The Chord paper's own numbers for the experiments `make paper` repeats: Stoica, Morris, Liben-Nowell,
// Karger, Kaashoek, Dabek and Balakrishnan, "Chord: A Scalable Peer-to-peer Lookup Protocol for
// Internet Applications", IEEE/ACM Transactions on Networking 11(1), 2003, §V. Figures are read off the
// plots (approximate); tables are the means as printed. Fig. 9's figures and Fig. 11's definition were
// checked against the SIGCOMM 2001 text (§6.2, §6.4), which has them word for word; Tables II and III
// appear only in the ToN version, which could not be read here to check them.

export const PAPER_SOURCE = 'Stoica et al., Chord, IEEE/ACM ToN 11(1), 2003, §V'

/** Fig. 8: 10^4 nodes, 10^5 … 10^6 keys; the 99th percentile of keys per node over the mean. */
export const PAPER_LOAD = { nodes: 10_000, p99OverMean: { low: 4.6, high: 4.8 }, p1OverMean: 0 } as const

/** Fig. 9: 10^4 real nodes, 10^6 keys, v virtual nodes each; the 99th and 1st percentiles over the mean at v = 1 and v = 20. */
export const PAPER_VNODES = {
  nodes: 10_000,
  keys: 1_000_000,
  p99OverMean: [
    { v: 1, value: 4.8 },
    { v: 20, value: 1.6 },
  ],
  p1OverMean: [
    { v: 1, value: 0 },
    { v: 20, value: 0.5 },
  ],
} as const

/** Fig. 10: the mean path length is about ½·log2 N, up to N = 2^14; the distribution at 2^12 peaks at 6 hops. */
export const PAPER_PATHS = { largestN: 2 ** 14, histogramAt: 2 ** 12, modeAt4096: 6 } as const

/** Table II: N = 1,000, r = 20, a fraction p failing at once, stabilization off: mean path length and timeouts per lookup. */
export const PAPER_FAILURES = {
  n: 1000,
  r: 20,
  rows: [
    { p: 0, hops: 3.84, timeouts: 0 },
    { p: 0.1, hops: 4.03, timeouts: 0.6 },
    { p: 0.2, hops: 4.22, timeouts: 1.17 },
    { p: 0.3, hops: 4.44, timeouts: 2.02 },
    { p: 0.4, hops: 4.69, timeouts: 3.23 },
    { p: 0.5, hops: 5.09, timeouts: 5.1 },
  ],
  /** Fig. 11: the fraction of lookups that fail is about p, the keys whose node failed (the paper's ring keeps no copies of keys). */
  failedIsAboutP: true,
} as const

/** Table III: N = 1,000, r = 20, joins and failures each at `rate` per second, stabilization every 30 s on average. */
export const PAPER_CHURN = {
  n: 1000,
  r: 20,
  periodMs: 30_000,
  rows: [
    { rate: 0.05, hops: 3.9, timeouts: 0.05, failedPer10k: 0 },
    { rate: 0.1, hops: 3.83, timeouts: 0.11, failedPer10k: 0 },
    { rate: 0.15, hops: 3.84, timeouts: 0.16, failedPer10k: 2 },
    { rate: 0.2, hops: 3.81, timeouts: 0.23, failedPer10k: 5 },
    { rate: 0.25, hops: 3.83, timeouts: 0.3, failedPer10k: 6 },
    { rate: 0.3, hops: 3.91, timeouts: 0.34, failedPer10k: 8 },
    { rate: 0.35, hops: 3.94, timeouts: 0.42, failedPer10k: 16 },
    { rate: 0.4, hops: 4.06, timeouts: 0.46, failedPer10k: 15 },
  ],
} as const

/** The paper's simulated network: exponential delays of mean 50 ms, a timeout of 500 ms. */
export const PAPER_NETWORK = { meanDelayMs: 50, timeoutMs: 500 } as const

/** The paper's number nearest to `x` in a table keyed by `key`, if one is within `tolerance`. */
export function nearestRow<T extends Record<K, number>, K extends string>(rows: readonly T[], key: K, x: number, tolerance = 1e-9): T | undefined {
  return rows.find((row) => Math.abs(row[key] - x) <= tolerance)
}
