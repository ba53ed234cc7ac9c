// make check's version findings (src/tools/ring-versions.ts): a value deleted on one node and live on another
// is settling (replica sync reconciles it), a tombstone kept past its grace period is broken.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { versionAt } from '../../src/node/protocol/version-clock.js'
import { IdSpace } from '../../src/node/ring.js'
import { checkVersions, type ContentView } from '../../src/tools/ring-versions.js'

const space = new IdSpace(8)
const peer = (id: number) => ({ id: BigInt(id), host: 'h', port: 1000 + id })
const NOW = Date.UTC(2026, 11, 1, 12)
const options = { graceMs: 60_000, now: NOW, slackMs: 5_000 }
const at = (msAgo: number) => versionAt(NOW - msAgo)

test('copies that agree give no finding, live or deleted', () => {
  const views: ContentView[] = [
    { self: peer(10), records: [{ key: 20n, value: 'a', version: at(5000), deleted: false }, { key: 20n, value: 'b', version: at(1000), deleted: true }] },
    { self: peer(30), records: [{ key: 20n, value: 'a', version: at(5000), deleted: false }, { key: 20n, value: 'b', version: at(1000), deleted: true }] },
  ]
  assert.deepEqual(checkVersions(views, space, options), [])
})

test('a value deleted on one node and live on another is a conflict, settling, naming both sides', () => {
  const views: ContentView[] = [
    { self: peer(10), records: [{ key: 20n, value: 'gone', version: at(1000), deleted: true }] },
    { self: peer(30), records: [{ key: 20n, value: 'gone', version: at(9000), deleted: false }] },
  ]
  const [finding, ...rest] = checkVersions(views, space, options)
  assert.equal(rest.length, 0)
  assert.equal(finding?.kind, 'conflict')
  assert.equal(finding?.severity, 'settling')
  assert.match(finding?.message ?? '', /"gone" \(key 14\) is deleted on \[0a\] but live on \[1e\]/)
})

test('a tombstone past its grace period (and the slack) is broken; one within it is fine', () => {
  const views: ContentView[] = [
    { self: peer(10), records: [{ key: 20n, value: 'old', version: at(66_000), deleted: true }, { key: 21n, value: 'recent', version: at(64_000), deleted: true }] },
    { self: peer(30), records: [{ key: 21n, value: 'recent', version: at(64_000), deleted: true }, { key: 22n, value: 'live and old', version: at(999_000), deleted: false }] },
  ]
  const findings = checkVersions(views, space, options)
  assert.equal(findings.length, 1)
  assert.equal(findings[0]?.kind, 'tombstone')
  assert.equal(findings[0]?.severity, 'broken')
  assert.match(findings[0]?.message ?? '', /0a keeps 1 tombstone past the 60 s grace period \(oldest deleted 66 s ago\)/)
})
