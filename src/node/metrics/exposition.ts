// Metrics in the Prometheus text exposition format (version 0.0.4): counters, gauges and histograms
// grouped in a registry that renders every family with its # HELP and # TYPE lines. Counting is the hot
// path: a labelled series is looked up once by its joined label values and bumped in place; rendering,
// escaping and the cumulative histogram buckets are the scrape's work. Pure: no I/O, no clock.

/** The content type a scrape is answered with. */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'

/**
 * The request-duration buckets OpenTelemetry's HTTP semantic conventions advise, in seconds
 * (http.server.request.duration): fine below 100 ms, where a healthy node's requests are.
 */
export const OTEL_DURATION_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10] as const

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/
/** Label values are joined with a character no sane value holds, to key a family's series. */
const JOIN = '\u0000'

/** A sample's value as the format writes it: Go's float spellings for the infinities and NaN. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN'
  if (value === Infinity) return '+Inf'
  if (value === -Infinity) return '-Inf'
  return String(value)
}

/** # HELP text: a backslash and a line feed are escaped. */
export function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')
}

/** A label value: a backslash, a double quote and a line feed are escaped. */
export function escapeLabelValue(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}

/** `{a="x",b="y"}`, or nothing when there are no labels. */
function labelText(names: readonly string[], values: readonly string[], extra?: string): string {
  const parts = names.map((name, i) => `${name}="${escapeLabelValue(values[i] ?? '')}"`)
  if (extra) parts.push(extra)
  return parts.length === 0 ? '' : `{${parts.join(',')}}`
}

export type MetricType = 'counter' | 'gauge' | 'histogram'

abstract class Family<Series> {
  readonly #series = new Map<string, { values: readonly string[]; series: Series }>()

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: MetricType,
    readonly labelNames: readonly string[],
  ) {
    if (!METRIC_NAME.test(name)) throw new RangeError(`not a metric name: ${JSON.stringify(name)}`)
    for (const label of labelNames) if (!LABEL_NAME.test(label) || label.startsWith('__')) throw new RangeError(`not a label name: ${JSON.stringify(label)}`)
    if (new Set(labelNames).size !== labelNames.length) throw new RangeError(`${name}: a label is named twice`)
  }

  protected abstract create(): Series
  protected abstract lines(name: string, labels: (extra?: string) => string, series: Series): string[]

  /** The series of these label values (as many as the family has label names), made on first use. */
  labels(...values: string[]): Series {
    if (values.length !== this.labelNames.length) throw new RangeError(`${this.name} takes ${this.labelNames.length} label values, got ${values.length}`)
    const key = values.join(JOIN)
    let entry = this.#series.get(key)
    if (!entry) this.#series.set(key, (entry = { values, series: this.create() }))
    return entry.series
  }

  /** Forgets every series (a gauge refilled at each scrape). */
  reset(): void {
    this.#series.clear()
  }

  render(): string {
    const out = [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} ${this.type}`]
    for (const { values, series } of this.#series.values()) out.push(...this.lines(this.name, (extra) => labelText(this.labelNames, values, extra), series))
    return out.join('\n')
  }
}

export interface CounterSeries {
  inc(by?: number): void
  readonly value: number
}

class CounterCell implements CounterSeries {
  value = 0
  inc(by = 1): void {
    if (!(by >= 0)) throw new RangeError(`a counter only goes up, not by ${by}`)
    this.value += by
  }
}

/** Counts up from 0 and never goes down; its name ends in _total. */
export class Counter extends Family<CounterSeries> {
  constructor(name: string, help: string, labelNames: readonly string[] = []) {
    if (!name.endsWith('_total')) throw new RangeError(`a counter's name ends in _total: ${name}`)
    super(name, help, 'counter', labelNames)
  }
  protected create(): CounterSeries {
    return new CounterCell()
  }
  protected lines(name: string, labels: () => string, series: CounterSeries): string[] {
    return [`${name}${labels()} ${formatValue(series.value)}`]
  }
}

export interface GaugeSeries {
  set(value: number): void
  readonly value: number
}

class GaugeCell implements GaugeSeries {
  value = 0
  set(value: number): void {
    this.value = value
  }
}

/** A value that goes up and down; the node's gauges are read from its state at each scrape. */
export class Gauge extends Family<GaugeSeries> {
  constructor(name: string, help: string, labelNames: readonly string[] = []) {
    super(name, help, 'gauge', labelNames)
  }
  protected create(): GaugeSeries {
    return new GaugeCell()
  }
  protected lines(name: string, labels: () => string, series: GaugeSeries): string[] {
    return [`${name}${labels()} ${formatValue(series.value)}`]
  }
}

export interface HistogramSeries {
  observe(value: number): void
  /** Observations per bucket (not cumulative), the last one past the largest bound. */
  readonly counts: readonly number[]
  readonly sum: number
  readonly count: number
}

class HistogramCell implements HistogramSeries {
  readonly counts: number[]
  sum = 0
  count = 0
  constructor(readonly bounds: readonly number[]) {
    this.counts = new Array<number>(bounds.length + 1).fill(0)
  }
  observe(value: number): void {
    const bounds = this.bounds
    let i = 0
    // Fourteen bounds: a linear walk is as quick as a binary search, and most requests stop in the first few.
    while (i < bounds.length && value > bounds[i]!) i++
    this.counts[i]!++
    this.sum += value
    this.count++
  }
}

/** Observations counted into buckets by upper bound (le), with their sum and count. */
export class Histogram extends Family<HistogramSeries> {
  readonly bounds: readonly number[]

  constructor(name: string, help: string, labelNames: readonly string[], bounds: readonly number[]) {
    if (labelNames.includes('le')) throw new RangeError(`${name}: le is the histogram's own label`)
    super(name, help, 'histogram', labelNames)
    if (bounds.length === 0 || bounds.some((b, i) => !Number.isFinite(b) || (i > 0 && b <= bounds[i - 1]!))) throw new RangeError(`${name}: bucket bounds must be finite and increasing`)
    this.bounds = [...bounds]
  }
  protected create(): HistogramSeries {
    return new HistogramCell(this.bounds)
  }
  protected lines(name: string, labels: (extra?: string) => string, series: HistogramSeries): string[] {
    // The text format's buckets are cumulative: each counts every observation at or below its bound.
    const out: string[] = []
    let cumulative = 0
    this.bounds.forEach((bound, i) => {
      cumulative += series.counts[i]!
      out.push(`${name}_bucket${labels(`le="${formatValue(bound)}"`)} ${cumulative}`)
    })
    out.push(`${name}_bucket${labels('le="+Inf"')} ${series.count}`)
    out.push(`${name}_sum${labels()} ${formatValue(series.sum)}`)
    out.push(`${name}_count${labels()} ${series.count}`)
    return out
  }
}

/** The families of one exposition, rendered in the order they were added. */
export class Registry {
  readonly #families: Array<Family<unknown>> = []
  readonly #names = new Set<string>()

  #add<F extends Family<unknown>>(family: F): F {
    if (this.#names.has(family.name)) throw new RangeError(`${family.name} is registered twice`)
    this.#names.add(family.name)
    this.#families.push(family)
    return family
  }

  counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
    return this.#add(new Counter(name, help, labelNames))
  }

  gauge(name: string, help: string, labelNames: readonly string[] = []): Gauge {
    return this.#add(new Gauge(name, help, labelNames))
  }

  histogram(name: string, help: string, labelNames: readonly string[], bounds: readonly number[] = OTEL_DURATION_BUCKETS_S): Histogram {
    return this.#add(new Histogram(name, help, labelNames, bounds))
  }

  /** The whole exposition: each family's HELP, TYPE and samples, ending in a line feed. */
  render(): string {
    return this.#families.map((family) => family.render()).join('\n') + '\n'
  }
}
