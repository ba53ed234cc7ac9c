// @ts-check
// The page's geometry, pure and unit-tested (test/unit/web-geometry.test.ts): where an id sits on the
// circle, arcs and chords between ids, the way a message travels, node sizes, where nodes with close
// ids are drawn so that no circle hides another, and where node labels go so that none overlap.
// Angles are clockwise from 12 o'clock, in radians; coordinates are SVG units (the viewBox is -500..500).

/** @typedef {[number, number]} Point */
/** @typedef {{ d: string, start: Point, end: Point, control: Point }} Chord */
/** @typedef {{ x: number, y: number, w: number, h: number }} Box */
/**
 * A label to place: its node's angle, its size, and how much it matters (the selected node, the route).
 * @typedef {{ key: string, angle: number, w: number, h: number, priority: number }} LabelRequest
 */
/** @typedef {{ key: string, angle: number, placed: number, box: Box }} PlacedLabel */

export const TAU = 2 * Math.PI
/** The identifier circle's radius. */
export const RING_RADIUS = 370

/** Fraction of the way round the ring, 0 ≤ f < 1, of a hex id (ids are fixed-width hex). */
export function fraction(/** @type {string} */ hex, /** @type {number} */ bits) {
  return Number(BigInt('0x' + hex)) / 2 ** bits
}

export function angleOf(/** @type {string} */ hex, /** @type {number} */ bits) {
  return fraction(hex, bits) * TAU
}

/** @returns {Point} angle 0 is at 12 o'clock, growing clockwise. */
export function point(/** @type {number} */ angle, /** @type {number} */ radius) {
  return [radius * Math.sin(angle), -radius * Math.cos(angle)]
}

/** The clockwise angle from a1 to a2, in [0, 2π). */
export function clockwise(/** @type {number} */ a1, /** @type {number} */ a2) {
  const d = (a2 - a1) % TAU
  return d < 0 ? d + TAU : d
}

/** The shorter way round between two angles, in [0, π]. */
export function angularDistance(/** @type {number} */ a1, /** @type {number} */ a2) {
  return Math.min(clockwise(a1, a2), clockwise(a2, a1))
}

/** A coordinate for an SVG attribute: one decimal is plenty at this scale. */
export function fmt(/** @type {number} */ v) {
  return (Math.round(v * 10) / 10).toString()
}

export function pt(/** @type {Point} */ p) {
  return `${fmt(p[0])} ${fmt(p[1])}`
}

/** An SVG path along the circle, clockwise from a1 to a2. */
export function arcPath(/** @type {number} */ a1, /** @type {number} */ a2, /** @type {number} */ radius) {
  const delta = clockwise(a1, a2)
  const large = delta > Math.PI ? 1 : 0
  return `M ${pt(point(a1, radius))} A ${radius} ${radius} 0 ${large} 1 ${pt(point(a1 + delta, radius))}`
}

/**
 * A chord from one point of the ring to another, bowed towards the centre like the Chord paper's
 * figures: nearly straight between neighbours, bent more the further apart the ends are.
 * @returns {Chord}
 */
export function chord(/** @type {number} */ a1, /** @type {number} */ a2, /** @type {number} */ r1, /** @type {number} */ r2) {
  const start = point(a1, r1)
  const end = point(a2, r2)
  const bow = 1 - 0.6 * Math.sin(angularDistance(a1, a2) / 2)
  /** @type {Point} */
  const control = [((start[0] + end[0]) / 2) * bow, ((start[1] + end[1]) / 2) * bow]
  return { d: `Q ${pt(control)} ${pt(end)}`, start, end, control }
}

/** @returns {Point} the point of a chord t of the way along, from 0 (start) to 1 (end). */
export function along(/** @type {Chord} */ c, /** @type {number} */ t) {
  const u = 1 - t
  return [u * u * c.start[0] + 2 * u * t * c.control[0] + t * t * c.end[0], u * u * c.start[1] + 2 * u * t * c.control[1] + t * t * c.end[1]]
}

/** Where the client (a tool, this page: no node) is drawn: outside the circle, at the top left. */
/** @type {Point} */
export const CLIENT_POINT = [-440, -440]

/**
 * The way a message travels on the ring: from its sender's point to its receiver's, a node at its
 * angle (`radius` from the centre), the client (null) at CLIENT_POINT. Between nodes a bowed chord,
 * to or from the client nearly straight, and a node's message to itself a short loop towards the centre.
 * @param {number | null} from the sender's angle; null for the client
 * @param {number | null} to the receiver's angle; null for the client
 * @param {number} radius
 * @returns {Chord}
 */
export function messageChord(from, to, radius) {
  if (from !== null && to !== null && angularDistance(from, to) > 1e-6) return chord(from, to, radius, radius)
  const start = from === null ? CLIENT_POINT : point(from, radius)
  const end = to === null ? CLIENT_POINT : point(to, radius)
  /** @type {Point} */
  const control =
    from === to || (from !== null && to !== null)
      ? [start[0] * 0.75, start[1] * 0.75]
      : [(start[0] + end[0]) / 2 * 0.97, (start[1] + end[1]) / 2 * 0.97]
  return { d: `Q ${pt(control)} ${pt(end)}`, start, end, control }
}

/** A node's radius: smaller the more crowded the ring. */
export function nodeRadius(/** @type {number} */ count) {
  if (count <= 12) return 19
  if (count <= 24) return 15
  if (count <= 48) return 11
  if (count <= 100) return 7
  return 5
}

/** Air between two neighbouring node circles. */
const NODE_SPACING = 3

/** The least angle between two nodes' centres on the circle so that their circles (radius r) do not overlap. */
export function nodeSpacing(/** @type {number} */ r) {
  return 2 * Math.asin(Math.min(1, (r + NODE_SPACING / 2) / RING_RADIUS))
}

/**
 * Where the nodes are drawn: each as near to its id's angle as can be with every two at least `gap`
 * apart (least squares, their order kept), so that a node at a close id never hides under its
 * neighbour; on a ring too full for that, evenly spread. Angles in, angles in [0, 2π) out, in the same order.
 * @param {readonly number[]} angles
 * @param {number} gap
 * @returns {number[]}
 */
export function spreadAngles(angles, gap) {
  const n = angles.length
  if (n < 2) return [...angles]
  const order = angles.map((angle, i) => ({ angle: clockwise(0, angle), i })).sort((a, b) => a.angle - b.angle)
  const spread = packGaps(
    order.map((o) => o.angle),
    order.map(() => Math.min(gap, TAU / n)),
  )
  /** @type {number[]} */
  const out = new Array(n).fill(0)
  order.forEach((o, k) => (out[o.i] = clockwise(0, /** @type {number} */ (spread[k]))))
  return out
}

/**
 * The box of a label of size w × h for the node at `angle`: centred on the node's ray and just
 * outside the circle of radius `radius`, which it touches but never crosses (so it covers no node).
 * @returns {Box}
 */
export function labelBox(/** @type {number} */ angle, /** @type {number} */ radius, /** @type {number} */ w, /** @type {number} */ h) {
  // How far the box reaches back towards the centre along the ray: its support in that direction.
  const reach = (w / 2) * Math.abs(Math.sin(angle)) + (h / 2) * Math.abs(Math.cos(angle))
  const [cx, cy] = point(angle, radius + reach)
  return { x: cx - w / 2, y: cy - h / 2, w, h }
}

export function boxesOverlap(/** @type {Box} */ a, /** @type {Box} */ b) {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

/**
 * The angle a label of size w × h takes along the circle at `angle`: how far apart two such boxes'
 * centres must be along the tangent (the width at the top, the height at the sides, the lesser of the
 * two between), seen from the centre at the box's distance.
 */
function span(/** @type {number} */ angle, /** @type {number} */ radius, /** @type {number} */ w, /** @type {number} */ h) {
  const cos = Math.abs(Math.cos(angle))
  const sin = Math.abs(Math.sin(angle))
  const along = Math.min(cos > 1e-9 ? w / cos : Infinity, sin > 1e-9 ? h / sin : Infinity)
  const reach = (w / 2) * sin + (h / 2) * cos
  return along / (radius + reach)
}

/** A label may sit this far from its node at most (a leader line joins them); beyond, it is left out. */
export const MAX_LABEL_SHIFT = 0.45
/** Air between two neighbouring labels, as an angle. */
const SPACING = 0.012
/** Labels this many places apart in the circle's order are checked against each other. */
const NEIGHBOURHOOD = 3

/**
 * Places the labels around the circle so that no two boxes overlap: each as close to its node as it
 * can be, in the nodes' order, pushed apart where nodes crowd. Where not all fit (or some would end
 * too far from their node), they are taken most important first and each one that would spoil the
 * placement is left out.
 * @param {LabelRequest[]} requests
 * @param {number} radius where the boxes start (outside the nodes)
 * @returns {PlacedLabel[]} in the order of the circle
 */
export function placeLabels(requests, radius) {
  const byPriority = [...requests].sort((a, b) => b.priority - a.priority)
  // Only as many as the circle can hold at all.
  /** @type {LabelRequest[]} */
  const fitting = []
  let total = 0
  for (const label of byPriority) {
    const need = span(label.angle, radius, label.w, label.h) + SPACING
    if (total + need > TAU) continue
    fitting.push(label)
    total += need
  }
  const all = packOnCircle(fitting, radius)
  if (fitting.length === requests.length && wellPlaced(all)) return all
  /** @type {LabelRequest[]} */
  const kept = []
  let placed = packOnCircle(kept, radius)
  for (const label of fitting) {
    const trial = packOnCircle([...kept, label], radius)
    if (!wellPlaced(trial)) continue
    kept.push(label)
    placed = trial
  }
  return placed
}

/** No two boxes overlap and every label is near enough to its node. */
function wellPlaced(/** @type {PlacedLabel[]} */ placed) {
  return clashes(placed).length === 0 && placed.every((p) => angularDistance(p.placed, p.angle) <= MAX_LABEL_SHIFT)
}

/**
 * The pairs of labels (by key) whose boxes overlap, among neighbours in the circle's order.
 * @param {PlacedLabel[]} placed in the order of the circle
 * @returns {Array<[string, string]>}
 */
export function clashes(placed) {
  /** @type {Array<[string, string]>} */
  const pairs = []
  const n = placed.length
  for (let i = 0; i < n; i++) {
    for (let k = 1; k <= Math.min(NEIGHBOURHOOD, Math.floor(n / 2)); k++) {
      const a = /** @type {PlacedLabel} */ (placed[i])
      const b = /** @type {PlacedLabel} */ (placed[(i + k) % n])
      if (boxesOverlap(a.box, b.box)) pairs.push([a.key, b.key])
    }
  }
  return pairs
}

/**
 * One packing: the labels in the circle's order, neighbours at least half their spans apart. A span
 * depends on where its label ends up, so the packing is repeated with the spans measured at the placed
 * angles, with a growing margin, until no boxes overlap.
 * @param {LabelRequest[]} labels
 * @param {number} radius
 * @returns {PlacedLabel[]}
 */
function packOnCircle(labels, radius) {
  const sorted = [...labels].sort((a, b) => a.angle - b.angle)
  const wanted = sorted.map((label) => label.angle)
  /** @returns {PlacedLabel[]} */
  const placedAt = (/** @type {number[]} */ angles) =>
    sorted.map((label, i) => {
      const placed = clockwise(0, /** @type {number} */ (angles[i]))
      return { key: label.key, angle: label.angle, placed, box: labelBox(placed, radius, label.w, label.h) }
    })
  let angles = wanted
  let placed = placedAt(angles)
  for (let round = 0, margin = 1; sorted.length > 1 && round < 12; round++, margin *= 1.1) {
    const half = sorted.map((label, i) => (span(/** @type {number} */ (angles[i]), radius, label.w, label.h) / 2) * margin)
    const gaps = half.map((h, i) => h + /** @type {number} */ (half[(i + 1) % half.length]) + SPACING)
    angles = packGaps(wanted, gaps)
    placed = placedAt(angles)
    if (clashes(placed).length === 0) break
  }
  return placed
}

/**
 * Angles nearest (least squares) to the sorted angles x that keep their order round the circle with
 * at least gaps[i] between the i-th and the next (the last: back round to the first). The circle is
 * cut where it has the most room; along the cut, y[k] - (the gaps before k) must not decrease, which
 * is an isotonic regression.
 * @param {number[]} x sorted, in [0, 2π)
 * @param {number[]} gaps
 * @returns {number[]} in the order of x (not reduced to [0, 2π))
 */
export function packGaps(x, gaps) {
  const n = x.length
  const at = (/** @type {number[]} */ a, /** @type {number} */ i) => /** @type {number} */ (a[i % n])
  const room = (/** @type {number} */ i) => at(x, i + 1) + (i === n - 1 ? TAU : 0) - at(x, i) - at(gaps, i)
  let cut = 0
  for (let i = 1; i < n; i++) if (room(i) > room(cut)) cut = i
  const order = Array.from({ length: n }, (_, k) => (cut + 1 + k) % n)
  const targets = order.map((i, k) => at(x, i) + (k > 0 && i < at(order, 0) ? TAU : 0))
  /** @type {number[]} the gaps before each place of the cut circle */
  const before = []
  let sum = 0
  for (const i of order) {
    before.push(sum)
    sum += at(gaps, i)
  }
  let ys = isotonic(targets.map((t, k) => t - at(before, k))).map((z, k) => z + at(before, k))
  if (at(ys, n - 1) - at(ys, 0) + at(gaps, at(order, n - 1)) > TAU) {
    // The chain came out too long to close the circle: spread the slack evenly instead.
    const slack = (TAU - sum) / n
    const shift = targets.reduce((s, t, k) => s + t - at(before, k) - k * slack, 0) / n
    ys = targets.map((_, k) => shift + at(before, k) + k * slack)
  }
  /** @type {number[]} */
  const y = new Array(n).fill(0)
  order.forEach((i, k) => (y[i] = at(ys, k)))
  return y
}

/**
 * The non-decreasing sequence nearest (least squares) to the given one: pool adjacent violators.
 * @param {number[]} values
 * @returns {number[]}
 */
export function isotonic(values) {
  /** @type {Array<{ sum: number, count: number }>} */
  const blocks = []
  for (const v of values) {
    blocks.push({ sum: v, count: 1 })
    for (;;) {
      const last = blocks[blocks.length - 1]
      const previous = blocks[blocks.length - 2]
      if (!last || !previous || previous.sum / previous.count <= last.sum / last.count) break
      previous.sum += last.sum
      previous.count += last.count
      blocks.pop()
    }
  }
  return blocks.flatMap((b) => Array.from({ length: b.count }, () => b.sum / b.count))
}
