// Summary statistics for benchmarks and simulations.

export interface Summary {
  count: number
  mean: number
  p1: number
  p50: number
  p99: number
  max: number
}

export function summarize(samples: number[]): Summary {
  if (samples.length === 0) return { count: 0, mean: NaN, p1: NaN, p50: NaN, p99: NaN, max: NaN }
  const sorted = [...samples].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!
  return {
    count: sorted.length,
    mean: sorted.reduce((sum, x) => sum + x, 0) / sorted.length,
    p1: at(0.01),
    p50: at(0.5),
    p99: at(0.99),
    max: sorted[sorted.length - 1]!,
  }
}
