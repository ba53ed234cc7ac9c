// Unit tests for Wire (src/node/wire.ts): JSON encoding and validated decoding of the protocol's values.
// Every validation failure must be a DhtError with a stable code; the tests assert the code, never the text.
import { createHash } from 'node:crypto'
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { DhtError, type ErrorCode } from '../../src/node/errors.js'
import type { NodeInfo, Peer } from '../../src/node/protocol/types.js'
import { IdSpace, type Id } from '../../src/node/ring.js'
import { Wire } from '../../src/node/wire.js'

const space8 = new IdSpace(8)
const wire8 = new Wire(space8)

/** Asserts that fn throws a DhtError with exactly this code. */
function assertDhtError(fn: () => unknown, code: ErrorCode): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof DhtError, `expected a DhtError, got ${String(error)}`)
    assert.equal(error.code, code)
    return true
  })
}

/** The id of host:port computed independently: SHA-1 of the address, reduced mod 2^bits. */
function addressId(host: string, port: number, bits: number): Id {
  return BigInt('0x' + createHash('sha1').update(`${host}:${port}`).digest('hex')) % (1n << BigInt(bits))
}

function realPeer(space: IdSpace, host: string, port: number): Peer {
  return { id: space.nodeId(host, port), host, port }
}

describe('Wire.id and Wire.peer', () => {
  test('ids go out as lowercase hex at the width of the space', () => {
    assert.equal(wire8.id(0n), '00')
    assert.equal(wire8.id(10n), '0a')
    assert.equal(wire8.id(255n), 'ff')
    assert.equal(new Wire(new IdSpace(160)).id(1n), '0'.repeat(39) + '1')
  })

  test('a peer goes out as { id, host, port }', () => {
    const p = realPeer(space8, '127.0.0.1', 8001)
    assert.deepEqual(wire8.peer(p), { id: space8.toHex(p.id), host: '127.0.0.1', port: 8001 })
    assert.equal(wire8.peerOrNull(null), null)
  })
})

describe('Wire.parsePeer', () => {
  test('computes the id from host:port when no id is given', () => {
    const peer = wire8.parsePeer({ host: '127.0.0.1', port: 8001 }, 'peer')
    assert.deepEqual(peer, { id: addressId('127.0.0.1', 8001, 8), host: '127.0.0.1', port: 8001 })
  })

  test('accepts the matching id, in lowercase or uppercase', () => {
    for (const bits of [8, 160]) {
      const space = new IdSpace(bits)
      const wire = new Wire(space)
      const id = addressId('10.0.0.7', 9000, bits)
      const hex = space.toHex(id)
      for (const text of [hex, hex.toUpperCase()]) {
        assert.deepEqual(wire.parsePeer({ id: text, host: '10.0.0.7', port: 9000 }, 'peer'), { id, host: '10.0.0.7', port: 9000 })
      }
    }
  })

  test('round-trips through peer() and JSON', () => {
    const p = realPeer(space8, 'node-3.example.org', 443)
    assert.deepEqual(wire8.parsePeer(JSON.parse(JSON.stringify(wire8.peer(p))), 'peer'), p)
  })

  test('rejects an id that is not the hash of host:port', () => {
    const id = addressId('127.0.0.1', 8001, 8)
    const wrong = space8.toHex((id + 1n) % space8.size)
    assertDhtError(() => wire8.parsePeer({ id: wrong, host: '127.0.0.1', port: 8001 }, 'peer'), 'BAD_REQUEST')
    // The id of a different port of the same host does not match either.
    const other = space8.toHex(addressId('127.0.0.1', 8002, 8))
    if (other !== space8.toHex(id)) {
      assertDhtError(() => wire8.parsePeer({ id: other, host: '127.0.0.1', port: 8001 }, 'peer'), 'BAD_REQUEST')
    }
  })

  const badIds: Array<{ id: unknown; why: string }> = [
    { id: 'zz', why: 'not hex' },
    { id: '', why: 'empty' },
    { id: '100', why: 'too long for 8 bits' },
    { id: 77, why: 'a number, not a string' },
    { id: null, why: 'null' },
  ]
  for (const { id, why } of badIds) {
    test(`rejects a malformed id (${why})`, () => {
      assertDhtError(() => wire8.parsePeer({ id, host: '127.0.0.1', port: 8001 }, 'peer'), 'BAD_REQUEST')
    })
  }

  const goodHosts = ['localhost', '127.0.0.1', '::1', '[::1]', 'node-1.example.org', 'A-Z.example', 'h'.repeat(253)]
  for (const host of goodHosts) {
    test(`accepts host ${JSON.stringify(host.length > 40 ? `${host.slice(0, 10)}…(${host.length})` : host)}`, () => {
      assert.equal(wire8.parsePeer({ host, port: 80 }, 'peer').host, host)
    })
  }

  const badHosts: Array<{ host: unknown; why: string }> = [
    { host: '', why: 'empty' },
    { host: 'two words', why: 'space' },
    { host: 'host/path', why: 'slash' },
    { host: 'user@host', why: 'at sign' },
    { host: 'host_name', why: 'underscore' },
    { host: 'évian.fr', why: 'non-ASCII' },
    { host: 'localhost\n', why: 'trailing newline' },
    { host: 'h'.repeat(254), why: 'longer than 253 characters' },
    { host: 42, why: 'a number' },
    { host: null, why: 'null' },
    { host: ['localhost'], why: 'an array' },
  ]
  for (const { host, why } of badHosts) {
    test(`rejects a bad host (${why})`, () => {
      assertDhtError(() => wire8.parsePeer({ host, port: 8001 }, 'peer'), 'BAD_REQUEST')
    })
  }

  const goodPorts: Array<{ port: unknown; expected: number }> = [
    { port: 1, expected: 1 },
    { port: 8001, expected: 8001 },
    { port: 65535, expected: 65535 },
    { port: '8001', expected: 8001 }, // a decimal string is accepted (as from a query string)
  ]
  for (const { port, expected } of goodPorts) {
    test(`accepts port ${JSON.stringify(port)} as ${expected}`, () => {
      const peer = wire8.parsePeer({ host: '127.0.0.1', port }, 'peer')
      assert.equal(peer.port, expected)
      assert.equal(peer.id, addressId('127.0.0.1', expected, 8))
    })
  }

  const badPorts: Array<{ port: unknown; why: string }> = [
    { port: 0, why: 'zero' },
    { port: 65536, why: 'above 65535' },
    { port: -1, why: 'negative' },
    { port: 80.5, why: 'not an integer' },
    { port: Number.NaN, why: 'NaN' },
    { port: 'abc', why: 'not a number' },
    { port: '', why: 'empty string' },
    { port: '0', why: 'zero as a string' },
    { port: '65536', why: 'too big as a string' },
    { port: '80.0', why: 'decimal point in a string' },
    { port: ' 80', why: 'space in a string' },
    { port: '0x50', why: 'hex string' },
    { port: true, why: 'a boolean' },
    { port: null, why: 'null' },
    { port: [80], why: 'an array' },
  ]
  for (const { port, why } of badPorts) {
    test(`rejects port ${JSON.stringify(port)} (${why})`, () => {
      assertDhtError(() => wire8.parsePeer({ host: '127.0.0.1', port }, 'peer'), 'BAD_REQUEST')
    })
  }

  const missing: Array<{ value: Record<string, unknown>; why: string }> = [
    { value: {}, why: 'no fields at all' },
    { value: { port: 8001 }, why: 'no host' },
    { value: { host: '127.0.0.1' }, why: 'no port' },
    { value: { id: '00' }, why: 'only an id' },
  ]
  for (const { value, why } of missing) {
    test(`rejects a peer with missing fields (${why})`, () => {
      assertDhtError(() => wire8.parsePeer(value, 'peer'), 'BAD_REQUEST')
    })
  }

  const notObjects: Array<{ value: unknown; why: string }> = [
    { value: null, why: 'null' },
    { value: undefined, why: 'undefined' },
    { value: '127.0.0.1:8001', why: 'a string' },
    { value: 8001, why: 'a number' },
    { value: true, why: 'a boolean' },
    { value: [{ host: '127.0.0.1', port: 8001 }], why: 'an array' },
  ]
  for (const { value, why } of notObjects) {
    test(`rejects a peer that is not an object (${why})`, () => {
      assertDhtError(() => wire8.parsePeer(value, 'peer'), 'BAD_REQUEST')
    })
  }

  test('parsePeerOrNull passes null through and validates anything else', () => {
    assert.equal(wire8.parsePeerOrNull(null, 'predecessor'), null)
    assertDhtError(() => wire8.parsePeerOrNull(undefined, 'predecessor'), 'BAD_REQUEST')
    assertDhtError(() => wire8.parsePeerOrNull({ host: '', port: 1 }, 'predecessor'), 'BAD_REQUEST')
  })

  test('parsePeers validates every element', () => {
    const a = realPeer(space8, '127.0.0.1', 8001)
    const b = realPeer(space8, '127.0.0.1', 8002)
    assert.deepEqual(wire8.parsePeers([wire8.peer(a), wire8.peer(b)], 'successors'), [a, b])
    assert.deepEqual(wire8.parsePeers([], 'successors'), [])
    assertDhtError(() => wire8.parsePeers([wire8.peer(a), { host: 'x', port: 0 }], 'successors'), 'BAD_REQUEST')
    assertDhtError(() => wire8.parsePeers(wire8.peer(a), 'successors'), 'BAD_REQUEST')
  })
})

describe('Wire.parseId', () => {
  const accepted: Array<{ bits: number; value: string; expected: Id }> = [
    { bits: 8, value: '00', expected: 0n },
    { bits: 8, value: 'ff', expected: 255n },
    { bits: 8, value: 'FF', expected: 255n },
    { bits: 8, value: '0a', expected: 10n },
    { bits: 3, value: '7', expected: 7n },
    { bits: 10, value: '3ff', expected: 1023n },
    { bits: 160, value: '0'.repeat(32) + 'aaf4c61d', expected: 0xaaf4c61dn },
    { bits: 160, value: 'f'.repeat(40), expected: (1n << 160n) - 1n },
  ]
  for (const { bits, value, expected } of accepted) {
    test(`parses "${value.length > 10 ? value.slice(0, 6) + '…' : value}" in ${bits} bits as ${expected}`, () => {
      assert.equal(new Wire(new IdSpace(bits)).parseId(value, 'key'), expected)
    })
  }

  const rejected: Array<{ bits: number; value: unknown; why: string }> = [
    { bits: 8, value: '', why: 'empty' },
    { bits: 8, value: 'xyz', why: 'not hex' },
    { bits: 8, value: 'g1', why: 'not hex' },
    { bits: 8, value: '0x10', why: 'prefixed' },
    { bits: 8, value: '-1', why: 'negative' },
    { bits: 8, value: '100', why: 'three digits in a two-digit space' },
    { bits: 8, value: '0', why: 'one digit in a two-digit space' },
    { bits: 8, value: 'a', why: 'one digit in a two-digit space' },
    { bits: 160, value: 'aaf4c61d', why: 'the 8 digits the tools print, in a 40-digit space' },
    { bits: 160, value: '0'.repeat(39), why: '39 digits' },
    { bits: 10, value: '400', why: '1024 >= 2^10' },
    { bits: 3, value: '8', why: '8 >= 2^3' },
    { bits: 160, value: '1' + '0'.repeat(40), why: '41 digits' },
    { bits: 8, value: 16, why: 'a number' },
    { bits: 8, value: 16n, why: 'a bigint' },
    { bits: 8, value: null, why: 'null' },
    { bits: 8, value: undefined, why: 'undefined' },
    { bits: 8, value: {}, why: 'an object' },
    { bits: 8, value: ['ff'], why: 'an array' },
  ]
  for (const { bits, value, why } of rejected) {
    test(`rejects an id in ${bits} bits (${why})`, () => {
      assertDhtError(() => new Wire(new IdSpace(bits)).parseId(value, 'key'), 'BAD_REQUEST')
    })
  }

  test('a hex id of the wrong length is refused with a message that gives the width expected', () => {
    assert.throws(() => new Wire(new IdSpace(160)).parseId('aaf4c61d', 'id'), /id must be a hex id of exactly 40 digits \(this ring's ids are 160 bits\), got 8/)
  })
})

describe('Wire.parseRecords', () => {
  const MAX = 8
  /** A client write's records (no versions), seen as the lab's entries. */
  const parseEntries = (value: unknown, field: string, max: number) => wire8.parseRecords(value, field, max, false).map(({ key, value }) => ({ key, value }))

  test('copies and handoffs carry versions and tombstones; a client write carries neither', () => {
    const records = [
      { key: 10n, value: 'ten', version: 5_000_000, deleted: false },
      { key: 10n, value: 'gone', version: 5_000_001, deleted: true },
    ]
    const json = JSON.parse(JSON.stringify(records.map((r) => wire8.record(r))))
    assert.deepEqual(json[0], { key: '0a', value: 'ten', version: 5_000_000 }, 'a live record is an entry plus its version')
    assert.equal(json[1].deleted, true)
    assert.deepEqual(wire8.parseRecords(json, 'entries', MAX, true), records)
    assertDhtError(() => wire8.parseRecords([{ key: '0a', value: 'ten' }], 'entries', MAX, true), 'BAD_REQUEST')
    assert.deepEqual(wire8.parseRecords([{ key: '0a', value: 'ten' }], 'entries', MAX, false), [{ key: 10n, value: 'ten', version: 0, deleted: false }])
    for (const bad of [{ version: -1 }, { version: 1.5 }, { version: 'new' }, { version: 1, deleted: 'yes' }]) {
      assertDhtError(() => wire8.parseRecords([{ key: '0a', value: 'ten', ...bad }], 'entries', MAX, true), 'BAD_REQUEST')
    }
  })

  test('parses an array of { key, value }', () => {
    assert.deepEqual(
      parseEntries(
        [
          { key: '0a', value: 'ten' },
          { key: 'FF', value: '' },
          { key: '0a', value: 'again' },
        ],
        'entries',
        MAX,
      ),
      [
        { key: 10n, value: 'ten' },
        { key: 255n, value: '' },
        { key: 10n, value: 'again' },
      ],
    )
    assert.deepEqual(parseEntries([], 'entries', MAX), [])
  })

  test('round-trips entry() through JSON', () => {
    const entries = [
      { key: 0n, value: 'zero' },
      { key: 200n, value: 'two\nlines' },
    ]
    const json = JSON.parse(JSON.stringify(entries.map((e) => wire8.entry(e))))
    assert.deepEqual(parseEntries(json, 'entries', 64), entries)
  })

  const notArrays: Array<{ value: unknown; why: string }> = [
    { value: { key: '01', value: 'v' }, why: 'a single object' },
    { value: 'entries', why: 'a string' },
    { value: null, why: 'null' },
    { value: undefined, why: 'undefined' },
    { value: 3, why: 'a number' },
  ]
  for (const { value, why } of notArrays) {
    test(`rejects entries that are not an array (${why})`, () => {
      assertDhtError(() => parseEntries(value, 'entries', MAX), 'BAD_REQUEST')
    })
  }

  const badItems: Array<{ item: unknown; why: string }> = [
    { item: null, why: 'null item' },
    { item: 'k:v', why: 'string item' },
    { item: ['01', 'v'], why: 'array item' },
    { item: { key: '01' }, why: 'missing value' },
    { item: { key: '01', value: null }, why: 'null value' },
    { item: { key: '01', value: 5 }, why: 'number value' },
    { item: { value: 'v' }, why: 'missing key' },
    { item: { key: 'zz', value: 'v' }, why: 'non-hex key' },
    { item: { key: '100', value: 'v' }, why: 'key too long for the space' },
    { item: { key: 1, value: 'v' }, why: 'number key' },
  ]
  for (const { item, why } of badItems) {
    test(`rejects a bad entry (${why})`, () => {
      assertDhtError(() => parseEntries([{ key: '00', value: 'fine' }, item], 'entries', MAX), 'BAD_REQUEST')
    })
  }

  const sizes: Array<{ value: string; bytes: number; ok: boolean }> = [
    { value: '', bytes: 0, ok: true },
    { value: 'abcdefgh', bytes: 8, ok: true }, // exactly the limit
    { value: 'abcdefghi', bytes: 9, ok: false }, // one byte over
    { value: 'éééé', bytes: 8, ok: true }, // four characters, eight UTF-8 bytes
    { value: 'ééééé', bytes: 10, ok: false }, // five characters but ten bytes: bytes are what count
    { value: '日本語', bytes: 9, ok: false }, // three characters, nine bytes
  ]
  for (const { value, bytes, ok } of sizes) {
    test(`a ${bytes}-byte value with an ${MAX}-byte limit is ${ok ? 'accepted' : 'PAYLOAD_TOO_LARGE'}`, () => {
      assert.equal(Buffer.byteLength(value, 'utf8'), bytes)
      const parse = () => parseEntries([{ key: '01', value }], 'entries', MAX)
      if (ok) assert.deepEqual(parse(), [{ key: 1n, value }])
      else assertDhtError(parse, 'PAYLOAD_TOO_LARGE')
    })
  }

  test('an oversize value anywhere in the list fails the whole list', () => {
    assertDhtError(
      () =>
        parseEntries(
          [
            { key: '01', value: 'ok' },
            { key: '02', value: 'x'.repeat(MAX + 1) },
          ],
          'entries',
          MAX,
        ),
      'PAYLOAD_TOO_LARGE',
    )
  })
})

describe('Wire.nodeInfo / parseNodeInfo', () => {
  function sampleInfo(space: IdSpace, predecessor: 'present' | 'null'): NodeInfo {
    const self = realPeer(space, '127.0.0.1', 8001)
    const succ1 = realPeer(space, '127.0.0.1', 8002)
    const succ2 = realPeer(space, 'node-3.example.org', 8003)
    const pred = realPeer(space, '::1', 8004)
    const mid = Math.min(3, space.bits - 2) // a middle finger index that exists in every space used here
    return {
      self,
      status: 'ready',
      predecessor: predecessor === 'present' ? pred : null,
      successor: succ1,
      successors: [succ1, succ2],
      fingers: [
        { index: 0, start: space.fingerStart(self.id, 0), node: succ1 },
        { index: mid, start: space.fingerStart(self.id, mid), node: succ2 },
        { index: space.bits - 1, start: space.fingerStart(self.id, space.bits - 1), node: pred },
      ],
      keys: 12,
      values: 15,
      tombstones: 2,
      bits: space.bits,
      replicas: 3,
      routeMode: 'linear',
      routingState: { entries: 0, bytes: 0 },
    }
  }

  const variants: Array<{ bits: number; predecessor: 'present' | 'null' }> = [
    { bits: 8, predecessor: 'present' },
    { bits: 8, predecessor: 'null' },
    { bits: 3, predecessor: 'present' },
    { bits: 160, predecessor: 'present' },
    { bits: 160, predecessor: 'null' },
  ]
  for (const { bits, predecessor } of variants) {
    test(`round-trips through nodeInfo -> JSON.stringify -> JSON.parse -> parseNodeInfo (${bits} bits, predecessor ${predecessor})`, () => {
      const space = new IdSpace(bits)
      const wire = new Wire(space)
      const info = sampleInfo(space, predecessor)
      const text = JSON.stringify(wire.nodeInfo(info))
      assert.deepEqual(wire.parseNodeInfo(JSON.parse(text)), info)
    })
  }

  test('the JSON form carries ids as fixed-width lowercase hex and the node\'s own fields at the top', () => {
    const space = new IdSpace(8)
    const info = sampleInfo(space, 'present')
    const json = JSON.parse(JSON.stringify(new Wire(space).nodeInfo(info))) as Record<string, unknown>
    assert.equal(json.id, space.toHex(info.self.id))
    assert.equal(json.host, '127.0.0.1')
    assert.equal(json.port, 8001)
    assert.equal(json.status, 'ready')
    assert.equal(json.routeMode, 'linear')
    const fingers = json.fingers as Array<{ start: string; node: { id: string } }>
    for (const row of fingers) {
      assert.match(row.start, /^[0-9a-f]{2}$/)
      assert.match(row.node.id, /^[0-9a-f]{2}$/)
    }
  })

  test('a missing routeMode is read as "fingers"', () => {
    const json = JSON.parse(JSON.stringify(wire8.nodeInfo(sampleInfo(space8, 'present')))) as Record<string, unknown>
    delete json.routeMode
    assert.equal(wire8.parseNodeInfo(json).routeMode, 'fingers')
  })

  const tampered: Array<{ why: string; change: (json: Record<string, unknown>) => void }> = [
    { why: 'self id does not match its address', change: (j) => (j.id = space8.toHex((BigInt('0x' + String(j.id)) + 1n) % 256n)) },
    { why: 'unknown status', change: (j) => (j.status = 'sleeping') },
    { why: 'unknown routeMode', change: (j) => (j.routeMode = 'random') },
    { why: 'successor missing', change: (j) => delete j.successor },
    { why: 'successors not an array', change: (j) => (j.successors = {}) },
    { why: 'predecessor with port 0', change: (j) => (j.predecessor = { host: '::1', port: 0 }) },
    { why: 'finger index out of range', change: (j) => ((j.fingers as Array<Record<string, unknown>>)[0]!.index = 8) },
    { why: 'finger start not hex', change: (j) => ((j.fingers as Array<Record<string, unknown>>)[0]!.start = 'zz') },
    { why: 'negative key count', change: (j) => (j.keys = -1) },
    { why: 'bits above 160', change: (j) => (j.bits = 161) },
    { why: 'replicas zero', change: (j) => (j.replicas = 0) },
    { why: 'not an object', change: () => undefined },
  ]
  for (const { why, change } of tampered) {
    test(`parseNodeInfo rejects a reply where the ${why}`, () => {
      const json = JSON.parse(JSON.stringify(wire8.nodeInfo(sampleInfo(space8, 'present')))) as Record<string, unknown>
      change(json)
      const value: unknown = why === 'not an object' ? [json] : json
      assertDhtError(() => wire8.parseNodeInfo(value), 'BAD_REQUEST')
    })
  }
})
