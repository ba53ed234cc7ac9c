// The ring's invariants checked from outside, on a snapshot of a live ring (make check, the monitor),
// each finding marked broken or settling (see the classification in src/tools/ring-classification.ts).
import { IdSpace } from '../node/ring.js'
import { classifyViolations, cyclesOf, ringShape, staleFingers, type Finding, type FindingKind } from './ring-classification.js'
import { checkRing, type NodeView } from './ring-invariants.js'
import { checkVersions, type ContentView, type VersionCheckOptions } from './ring-versions.js'
import { shortId } from './output.js'
import type { ContentRecord } from './ring-client.js'
import type { RingSnapshot } from './ring-snapshot.js'

export interface HealthOptions {
  /** Also report fingers that fix_fingers has not refreshed yet (make check; the monitor does not). */
  fingers?: boolean
}

/** Everything wrong with the ring, broken first; empty when it is healthy. */
export function ringFindings(snapshot: RingSnapshot, options: HealthOptions = {}): Finding[] {
  const space = new IdSpace(snapshot.bits)
  // A recorded process that does not answer is broken; a node known only from its neighbours' successor
  // lists that does not answer has gone, and stabilize is about to forget it.
  const silent: Finding[] = snapshot.nodes
    .filter((n) => !n.info)
    .map((n) => ({
      kind: 'unreachable',
      severity: n.pid === undefined ? 'settling' : 'broken',
      message: `${shortId(n.id)}@${n.port} does not answer (${n.error ?? 'no reply'})`,
    }))
  const views: NodeView[] = snapshot.nodes.flatMap((n) =>
    n.info
      ? [
          {
            self: n.info.self,
            predecessor: n.info.predecessor,
            successors: n.info.successors,
            keys: (n.entries ?? []).map((e) => BigInt('0x' + e.key)),
            status: n.info.status,
            fingers: n.info.fingers,
          },
        ]
      : [],
  )
  const violations = classifyViolations(checkRing(views, space, { replicas: snapshot.replicas }), ringShape(views))
  const rings = severalRings(views, snapshot)
  const fingers = options.fingers ? staleFingers(views, space) : []
  const versions = snapshot.nodes.some((n) => n.entries) ? checkVersions(contentViews(snapshot), space, versionOptions(snapshot)) : []
  const all = [...rings, ...silent, ...violations, ...fingers, ...versions]
  return [...all.filter((f) => f.severity === 'broken'), ...all.filter((f) => f.severity === 'settling')]
}

/** Several rings (a partition's sides, each repaired on its own): said first, in one line. */
function severalRings(views: NodeView[], snapshot: RingSnapshot): Finding[] {
  const cycles = cyclesOf(views)
  if (cycles.length < 2) return []
  const portOf = new Map(snapshot.nodes.map((n) => [n.id, n.port]))
  const space = new IdSpace(snapshot.bits)
  const name = (id: bigint) => `${shortId(space.toHex(id))}@${portOf.get(space.toHex(id)) ?? '?'}`
  const described = cycles.map((cycle) => `${cycle.length} nodes (${cycle.slice(0, 4).map(name).join(', ')}${cycle.length > 4 ? ', …' : ''})`)
  return [{ kind: 'rings', severity: 'broken', message: `${cycles.length} rings: ${described.join(', ')}` }]
}

/** What each answering node holds, live values and tombstones, with versions. */
function contentViews(snapshot: RingSnapshot): ContentView[] {
  const record = (deleted: boolean) => (r: ContentRecord) => ({ key: BigInt('0x' + r.key), value: r.value, version: r.version, deleted })
  return snapshot.nodes.flatMap((n) => (n.info && n.entries ? [{ self: n.info.self, records: [...n.entries.map(record(false)), ...(n.tombstones ?? []).map(record(true))] }] : []))
}

/** Tombstones are expired once per stabilize: a few periods of slack beside the grace period and clock skew. */
function versionOptions(snapshot: RingSnapshot): VersionCheckOptions {
  return { graceMs: snapshot.tombstoneGraceMs, now: Date.parse(snapshot.takenAt), slackMs: 3 * snapshot.stabilizeMs + 5000 }
}

/** One readable line per problem; empty when the ring is healthy. */
export function ringProblems(snapshot: RingSnapshot): string[] {
  return ringFindings(snapshot).map(problemLine)
}

export function problemLine(finding: Finding): string {
  return finding.kind === 'unreachable' || finding.kind === 'rings' ? finding.message : `${finding.kind}: ${finding.message}`
}

/** What a settling ring is waiting for, by kind: "812 extra copies not yet cleaned up, 3 successor lists catching up". */
export function settlingSummary(findings: Finding[]): string {
  const counts = new Map<FindingKind, number>()
  for (const f of findings) counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1)
  return [...counts.entries()].map(([kind, count]) => `${count} ${WAITING_FOR[kind](count !== 1)}`).join(', ')
}

const WAITING_FOR: Record<FindingKind, (many: boolean) => string> = {
  ring: (many) => `${many ? 'gaps' : 'gap'} in the successor walk, closing`,
  rings: (many) => `${many ? 'rings' : 'ring'} apart`,
  order: (many) => `successor ${many ? 'pointers' : 'pointer'} catching up`,
  predecessor: (many) => `predecessor ${many ? 'pointers' : 'pointer'} catching up`,
  'successor-list': (many) => `successor ${many ? 'lists' : 'list'} catching up`,
  copies: (many) => `${many ? 'keys' : 'key'} short of their copies`,
  stray: (many) => `extra ${many ? 'copies' : 'copy'} not yet cleaned up`,
  owner: (many) => `${many ? 'keys' : 'key'} still to reach a new owner`,
  fingers: (many) => `finger ${many ? 'tables' : 'table'} not yet refreshed`,
  unreachable: (many) => `departed ${many ? 'nodes' : 'node'} still named by neighbours`,
  conflict: (many) => `deleted ${many ? 'values' : 'value'} still live on a copy, being reconciled`,
  tombstone: (many) => `${many ? 'nodes' : 'node'} keeping tombstones past the grace period`,
}

/** Stabilize periods make check waits for a settling ring, beside one finger period. */
export const SETTLE_STABILIZE_PERIODS = 5

/** How long make check waits for a settling ring when WAIT= does not say: enough for the repairs above. */
export function defaultSettleWaitMs(settings: { stabilizeMs: number; fingerMs: number }): number {
  return SETTLE_STABILIZE_PERIODS * settings.stabilizeMs + settings.fingerMs
}
