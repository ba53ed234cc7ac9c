// A variant measured beside its baseline in the same run, as ratios: for each figure, the baseline's
// row (1×), the variant's row with its ratio, and optionally a ratio target ("one-hop p50 ≤ 0.6 ×
// fingers p50"). One call gives a phase its whole section, e.g. one-hop routing against fingers.
import { times } from './format.js'
import type { Row, Section } from './table.js'
import { ratioTarget, withUnit, type Comparison, type Measure } from './targets.js'

export interface PairedFigure {
  /** What is measured, without the variant's name: "lookup p50, N = 32". */
  metric: string
  unit: string
  baseline: number
  variant: number
  /** How a value of this figure reads (default: the number and its unit). */
  format?: (value: number) => string
  /** Met when variant / baseline `comparison` factor. */
  target?: { comparison: Comparison; factor: number }
}

export function sideBySide(title: string, names: { baseline: string; variant: string }, figures: PairedFigure[]): Section {
  const rows: Row[] = figures.flatMap((figure) => {
    const format = figure.format ?? ((value: number) => withUnit(value, figure.unit))
    const baseline: Measure = { metric: `${names.baseline} ${figure.metric}`, value: figure.baseline, unit: figure.unit }
    const variant: Measure = { metric: `${names.variant} ${figure.metric}`, value: figure.variant, unit: figure.unit }
    return [
      { metric: baseline.metric, value: format(baseline.value), vs: '1×' },
      {
        metric: variant.metric,
        value: format(variant.value),
        vs: times(variant.value / baseline.value),
        ...(figure.target ? { target: ratioTarget(variant, figure.target.comparison, figure.target.factor, baseline), targetLabel: `${figure.target.comparison} ${figure.target.factor}×` } : {}),
      },
    ]
  })
  return { title, baseline: names.baseline, rows }
}
