// Where a sequence diagram's lanes, arrows and labels go in pixels, for the two renderers that draw in
// SVG: the file make trace SVG= writes (sequence-svg.ts) and the web page's replay (web/sequence.js,
// in a card of the page: pageGeometry). An arrow's label runs along it from its sender; leftwards,
// unless that would run off the diagram's left edge: then from the receiver's end, rightwards. Pure
// (no Node built-ins, no DOM).
import type { SequenceLayout } from './sequence-layout.js'

export interface GeometryOptions {
  /** The x of the first lane's lifeline. */
  left: number
  /** No label starts left of this. */
  leftEdge: number
  laneGap: number
  /** The y where the first row starts; each row is rowHeight tall, its arrow a little below its middle. */
  top: number
  rowHeight: number
  /** A label's width is estimated from its length: this much a character. */
  charWidth: number
  /** How far a message to oneself loops out of its lane. */
  selfLoop: number
  /** Room kept at the right of the last lane and of the longest label. */
  rightMargin: number
  /** The diagram is at least this wide (the room it is given). */
  minWidth?: number
}

export interface RowGeometry {
  /** The arrow's y. */
  y: number
  x1: number
  x2: number
  self: boolean
  labelX: number
  anchor: 'start' | 'end'
  /** Where the label ends on the right. */
  labelEnd: number
}

export interface SequenceGeometry {
  laneX: number[]
  rows: RowGeometry[]
  width: number
  height: number
}

/** Labels keep this far from the lifeline they start at. */
const LABEL_GAP = 6
/** The arrow sits this far below the middle of its row, its label above it. */
const ARROW_DROP = 6

/** The gap between lanes that spreads `lanes` lanes over `width` (between `min` and `max`: wider than `width` when there are many). */
export function laneGapToFit(width: number, lanes: number, options: { left: number; rightMargin: number; min: number; max: number }): number {
  const room = (width - options.left - options.rightMargin) / Math.max(1, lanes - 1)
  return Math.max(options.min, Math.min(options.max, room))
}

export function sequenceGeometry(layout: SequenceLayout, options: GeometryOptions): SequenceGeometry {
  const laneX = layout.lanes.map((_, i) => options.left + i * options.laneGap)
  const rows = layout.rows.map((row, i): RowGeometry => {
    const x1 = laneX[row.from]!
    const x2 = laneX[row.to]!
    const labelWidth = row.label.length * options.charWidth
    const leftwards = x2 < x1 && x1 - LABEL_GAP - labelWidth >= options.leftEdge
    const labelX = x1 === x2 ? x1 + options.selfLoop + 4 : leftwards ? x1 - LABEL_GAP : Math.min(x1, x2) + LABEL_GAP
    return {
      y: options.top + (i + 0.5) * options.rowHeight + ARROW_DROP,
      x1,
      x2,
      self: x1 === x2,
      labelX,
      anchor: leftwards ? 'end' : 'start',
      labelEnd: leftwards ? x1 - LABEL_GAP : labelX + labelWidth,
    }
  })
  const lastLane = laneX[laneX.length - 1] ?? options.left
  return {
    laneX,
    rows,
    width: Math.ceil(Math.max(options.minWidth ?? 0, lastLane + options.rightMargin, ...rows.map((r) => r.labelEnd + options.rightMargin))),
    height: options.top + layout.rows.length * options.rowHeight + 16,
  }
}

/** Where an arrow stops: short of its receiver's lifeline by `inset`, so that its head shows. */
export function arrowEnd(row: RowGeometry, inset: number): number {
  return row.x2 + (row.x2 > row.x1 ? -inset : inset)
}

/** The page's diagram (web/sequence.js, page.css): row numbers in a column at the left, lanes spread over the card. */
export const PAGE = {
  numberColumn: 30,
  firstLane: 56,
  /** Room above the first row (the lanes' names are drawn apart, in a header that stays in view). */
  top: 10,
  rowHeight: 34,
  /** page.css: 11.5px, bold when current. */
  labelCharWidth: 6.6,
  rightMargin: 30,
  selfLoop: 22,
  minLaneGap: 60,
  maxLaneGap: 120,
} as const

/** The page's diagram in a card `width` wide: lanes spread over it, never closer than can be read (wider than the card when there are many). */
export function pageGeometry(layout: SequenceLayout, width: number): SequenceGeometry {
  const laneGap = laneGapToFit(width, layout.lanes.length, { left: PAGE.firstLane, rightMargin: PAGE.rightMargin, min: PAGE.minLaneGap, max: PAGE.maxLaneGap })
  return sequenceGeometry(layout, {
    left: PAGE.firstLane,
    leftEdge: PAGE.numberColumn,
    laneGap,
    top: PAGE.top,
    rowHeight: PAGE.rowHeight,
    charWidth: PAGE.labelCharWidth,
    selfLoop: PAGE.selfLoop,
    rightMargin: PAGE.rightMargin,
    minWidth: width,
  })
}
