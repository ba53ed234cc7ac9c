// Targets as data: what was measured, against what bound, and whether it was met. A bound is either a
// fixed number (lookup p50 < 1 ms) or a multiple of another figure of the same run (one-hop p50 ≤ 0.6 ×
// fingers p50), so a variant is always judged against a baseline measured beside it, as a ratio.
// Every target lands in results.json's `targets` and in the table's last column.

export type Comparison = '<' | '≤' | '>' | '≥' | '='

/** One measured figure, named so a reader knows what it is without the table around it. */
export interface Measure {
  /** E.g. "lookup p50, N = 32". */
  metric: string
  value: number
  /** E.g. "ms", "/s", "MB", "% of a core"; "×" for a ratio. */
  unit: string
}

export interface Target extends Measure {
  /** The bound in words, e.g. "< 1 ms", "≤ 0.6 × fingers lookup p50". */
  target: string
  met: boolean
  /** For a ratio target: the two figures whose quotient `value` is. */
  ratio?: { measured: Measure; baseline: Measure }
}

const holds = (value: number, comparison: Comparison, bound: number): boolean => {
  switch (comparison) {
    case '<':
      return value < bound
    case '≤':
      return value <= bound
    case '>':
      return value > bound
    case '≥':
      return value >= bound
    case '=':
      return value === bound
  }
}

/** "2,500/s", "1 ms", "10% of a core": a bound next to its unit. */
export function withUnit(value: number, unit: string): string {
  const number = value.toLocaleString('en-US', { maximumFractionDigits: 3 })
  return unit === '' ? number : /^[/%×]/.test(unit) ? `${number}${unit}` : `${number} ${unit}`
}

/** The measure against a fixed bound in its own unit. */
export function target(measure: Measure, comparison: Comparison, bound: number): Target {
  return { ...measure, target: `${comparison} ${withUnit(bound, measure.unit)}`, met: Number.isFinite(measure.value) && holds(measure.value, comparison, bound) }
}

/** The measure as a multiple of a baseline of the same run: met when measure / baseline `comparison` factor. */
export function ratioTarget(measure: Measure, comparison: Comparison, factor: number, baseline: Measure): Target {
  const value = measure.value / baseline.value
  return {
    metric: `${measure.metric} / ${baseline.metric}`,
    value,
    unit: '×',
    target: `${comparison} ${factor} × ${baseline.metric}`,
    met: Number.isFinite(value) && holds(value, comparison, factor),
    ratio: { measured: measure, baseline },
  }
}
