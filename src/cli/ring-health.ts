// The ring's invariants checked from outside, on a snapshot of a live ring (make check, the monitor).
import { IdSpace } from '../ring.js'
import { checkRing, type NodeView } from '../ring-invariants.js'
import type { RingSnapshot } from './ring-snapshot.js'

/** One readable line per problem; empty when the ring is healthy. */
export function ringProblems(snapshot: RingSnapshot): string[] {
  const space = new IdSpace(snapshot.bits)
  const problems = snapshot.nodes.filter((n) => !n.info).map((n) => `${n.id.slice(0, 8)}@${n.port} does not answer (${n.error ?? 'no reply'})`)
  const views: NodeView[] = snapshot.nodes.flatMap((n) =>
    n.info
      ? [
          {
            self: n.info.self,
            predecessor: n.info.predecessor,
            successors: n.info.successors,
            keys: (n.entries ?? []).map((e) => BigInt('0x' + e.key)),
            status: n.info.status,
          },
        ]
      : [],
  )
  return [...problems, ...checkRing(views, space, { replicas: snapshot.replicas }).map((v) => `${v.kind}: ${v.message}`)]
}
