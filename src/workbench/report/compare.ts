// Variants measured beside their baseline in the same run, as ratios: for each figure, the baseline's
// row (1×), then each variant's row with its ratio, and optionally a ratio target ("one-hop p50 ≤ 0.6 ×
// fingers p50"). One call gives a phase its whole section, e.g. the routing modes against fingers.
import { times } from './format.js'
import type { Row, Section } from './table.js'
import { ratioTarget, withUnit, type Comparison, type Measure } from './targets.js'

export interface PairedFigure {
  /** What is measured, without the variant's name: "lookup p50, N = 32". */
  metric: string
  unit: string
  baseline: number
  /** One value per variant, in the order the section names them. */
  variants: number[]
  /** How a value of this figure reads (default: the number and its unit). */
  format?: (value: number) => string
  /** Per variant (by position): met when variant / baseline `comparison` factor. */
  targets?: Array<{ comparison: Comparison; factor: number } | undefined>
}

export function sideBySide(title: string, names: { baseline: string; variants: string[] }, figures: PairedFigure[]): Section {
  const rows: Row[] = figures.flatMap((figure) => {
    const format = figure.format ?? ((value: number) => withUnit(value, figure.unit))
    const baseline: Measure = { metric: `${names.baseline} ${figure.metric}`, value: figure.baseline, unit: figure.unit }
    const variantRows = names.variants.map((name, i): Row => {
      const variant: Measure = { metric: `${name} ${figure.metric}`, value: figure.variants[i] ?? NaN, unit: figure.unit }
      const goal = figure.targets?.[i]
      return {
        metric: variant.metric,
        value: format(variant.value),
        vs: times(variant.value / baseline.value),
        ...(goal ? { target: ratioTarget(variant, goal.comparison, goal.factor, baseline), targetLabel: `${goal.comparison} ${goal.factor}×` } : {}),
      }
    })
    return [{ metric: baseline.metric, value: format(baseline.value), vs: '1×' }, ...variantRows]
  })
  return { title, baseline: names.baseline, rows }
}
