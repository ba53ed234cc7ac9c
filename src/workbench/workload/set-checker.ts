// Jepsen's set check, with deletes: compares what clients were told (the history) with what a final
// read of every value finds once the ring has settled. Pure: no I/O, no clock.
//
// Operations end ok (a lookup or delete answering NOT_FOUND is ok, with found = false), fail (refused:
// nothing happened) or info (indeterminate: a timeout, a node gone mid-way, so it may have happened).
// Rules, per value (every value is stored by one client, at most once, and deleted at most once, after its
// store was acknowledged):
// - lost: the store was acknowledged, no delete may have happened, and the final read does not find it;
// - undone delete: the delete was acknowledged and the final read finds the value;
// - false NOT_FOUND: a lookup (or a delete) that began after the store was acknowledged, and ended before
//   any delete of the value began, answered that the value is not stored;
// - stale read: a lookup that began after a delete was acknowledged still found the value (reported, not
//   a failure: reads are served by the owner, which may lag for a moment while ownership moves).
// Indeterminate operations (timeouts) promise nothing either way and are only counted.
import type { Operation } from './history.js'

export interface SetReport {
  /** Stores acknowledged. */
  acknowledged: number
  /** Deletes acknowledged. */
  deleted: number
  /** Acknowledged, not deleted, and found by the final read. */
  found: number
  lost: string[]
  undoneDeletes: string[]
  falseNotFound: string[]
  staleReads: string[]
  /** Lookups during the run that had to find their value, and did. */
  readsChecked: number
  indeterminate: { stores: number; deletes: number; lookups: number }
  /** Operations that failed with a definite error, by code (e.g. ROUTE_FAILED while a node crashed). */
  failures: Record<string, number>
  valid: boolean
}

/** `finalRead(value)`: whether the value is found once the ring has settled. */
export function checkSet(operations: readonly Operation[], finalRead: ReadonlyMap<string, boolean>): SetReport {
  const byValue = new Map<string, Operation[]>()
  for (const op of operations) {
    let list = byValue.get(op.value)
    if (!list) byValue.set(op.value, (list = []))
    list.push(op)
  }
  const report: SetReport = {
    acknowledged: 0,
    deleted: 0,
    found: 0,
    lost: [],
    undoneDeletes: [],
    falseNotFound: [],
    staleReads: [],
    readsChecked: 0,
    indeterminate: { stores: 0, deletes: 0, lookups: 0 },
    failures: {},
    valid: true,
  }
  for (const op of operations) {
    if (op.outcome === 'info') report.indeterminate[`${op.kind}s` as 'stores' | 'deletes' | 'lookups']++
    if (op.outcome !== 'ok' && op.code !== undefined) {
      const label = `${op.kind} ${op.code}`
      report.failures[label] = (report.failures[label] ?? 0) + 1
    }
  }
  for (const [value, ops] of byValue) {
    const store = ops.find((op) => op.kind === 'store')
    const del = ops.find((op) => op.kind === 'delete')
    if (!store) continue
    const stored = store.outcome === 'ok'
    // A delete answered NOT_FOUND (or refused outright) deleted nothing; one that timed out may have.
    const deleteAcked = del?.outcome === 'ok' && del.found !== false
    const deleteMayHaveHappened = del !== undefined && (deleteAcked || del.outcome === 'info')
    if (stored) report.acknowledged++
    if (deleteAcked) report.deleted++
    const finallyFound = finalRead.get(value) === true
    if (stored && !deleteMayHaveHappened) {
      if (finallyFound) report.found++
      else report.lost.push(value)
    }
    if (deleteAcked && finallyFound) report.undoneDeletes.push(value)
    if (!stored) continue
    const storedAt = store.completedAt!
    for (const op of ops) {
      if (op === store || op.outcome !== 'ok' || op.invokedAt <= storedAt) continue
      if (op.kind === 'delete') {
        if (op.found === false) report.falseNotFound.push(`delete of ${value}`)
        continue
      }
      const beforeDelete = !deleteMayHaveHappened || op.completedAt! < del!.invokedAt
      if (beforeDelete) {
        report.readsChecked++
        if (op.found === false) report.falseNotFound.push(`lookup of ${value}`)
      } else if (op.found === true && deleteAcked && op.invokedAt > del!.completedAt!) {
        report.staleReads.push(value)
      }
    }
  }
  report.valid = report.lost.length === 0 && report.undoneDeletes.length === 0 && report.falseNotFound.length === 0
  return report
}

/** The report in a few lines, with examples of anything wrong. */
export function formatSetReport(report: SetReport): string {
  const sample = (items: string[]) => (items.length === 0 ? '0' : `${items.length} (e.g. ${items.slice(0, 3).join('; ')})`)
  const failures = Object.entries(report.failures).map(([code, n]) => `${code} ×${n}`).join(', ')
  return [
    `acknowledged ${report.acknowledged}, found ${report.found}, deleted ${report.deleted}, reads checked ${report.readsChecked}`,
    `lost ${sample(report.lost)}; deletes undone ${sample(report.undoneDeletes)}; false NOT_FOUND ${sample(report.falseNotFound)}; stale reads ${report.staleReads.length}`,
    `indeterminate: ${report.indeterminate.stores} stores, ${report.indeterminate.deletes} deletes, ${report.indeterminate.lookups} lookups${failures ? `; failed: ${failures}` : ''}`,
  ].join('\n')
}
