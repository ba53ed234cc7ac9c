// Unit tests for the identifier-space arithmetic in src/node/ring.ts.
// Tables list each input with its expected value written beside it; in small spaces (bits = 3 and 8) the
// interval functions are also checked against a brute-force reference for every possible (x, a, b).
import { createHash } from 'node:crypto'
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { IdSpace, SHA1_BITS, between, betweenLeftIncl, betweenRightIncl, ownerIndex, successorIndex, type Id } from '../../src/node/ring.js'

/** SHA-1 of the text as a bigint, computed here independently of IdSpace. */
function sha1(text: string): bigint {
  return BigInt('0x' + createHash('sha1').update(text, 'utf8').digest('hex'))
}

const MAX160 = (1n << 160n) - 1n

/** Every id of a space, 0 .. 2^bits - 1 (only for small spaces). */
function allIds(space: IdSpace): Id[] {
  const ids: Id[] = []
  for (let id = 0n; id < space.size; id++) ids.push(id)
  return ids
}

/**
 * Brute-force reference for the open interval (a, b): walk clockwise from a, one id at a time, and
 * collect every id passed before reaching b. When a == b the walk goes once round the ring, so (a, a)
 * is every id but a.
 */
function walkOpen(a: Id, b: Id, size: bigint): Set<Id> {
  const passed = new Set<Id>()
  for (let x = (a + 1n) % size; x !== b; x = (x + 1n) % size) passed.add(x)
  return passed
}

/** Brute-force clockwise distance: how many single steps forward take you from `from` to `to`. */
function walkSteps(from: Id, to: Id, size: bigint): bigint {
  let steps = 0n
  for (let x = from; x !== to; x = (x + 1n) % size) steps++
  return steps
}

describe('IdSpace constructor', () => {
  const valid: Array<{ bits: number; size: bigint; hexLength: number }> = [
    { bits: 1, size: 2n, hexLength: 1 },
    { bits: 3, size: 8n, hexLength: 1 },
    { bits: 4, size: 16n, hexLength: 1 },
    { bits: 5, size: 32n, hexLength: 2 },
    { bits: 8, size: 256n, hexLength: 2 },
    { bits: 9, size: 512n, hexLength: 3 },
    { bits: 159, size: 1n << 159n, hexLength: 40 },
    { bits: 160, size: 1n << 160n, hexLength: 40 },
  ]
  for (const { bits, size, hexLength } of valid) {
    test(`bits = ${bits} gives size ${size} and hexLength ${hexLength}`, () => {
      const space = new IdSpace(bits)
      assert.equal(space.bits, bits)
      assert.equal(space.size, size)
      assert.equal(space.hexLength, hexLength)
    })
  }

  test('defaults to SHA-1 width (160 bits)', () => {
    const space = new IdSpace()
    assert.equal(SHA1_BITS, 160)
    assert.equal(space.bits, 160)
    assert.equal(space.size, 1n << 160n)
    assert.equal(space.hexLength, 40)
  })

  const invalid: Array<{ bits: number; why: string }> = [
    { bits: 0, why: 'zero' },
    { bits: -1, why: 'negative' },
    { bits: 161, why: 'wider than SHA-1' },
    { bits: 1.5, why: 'not an integer' },
    { bits: Number.NaN, why: 'NaN' },
    { bits: Number.POSITIVE_INFINITY, why: 'infinite' },
  ]
  for (const { bits, why } of invalid) {
    test(`rejects bits = ${bits} (${why}) with a RangeError`, () => {
      assert.throws(() => new IdSpace(bits), RangeError)
    })
  }
})

describe('IdSpace.hash', () => {
  test('"hello" has the well-known SHA-1 value, computed independently with node:crypto', () => {
    const helloSha1 = 0xaaf4c61ddcc5e8a2dabede0f3b482cd9aea9434dn
    assert.equal(sha1('hello'), helloSha1)
    assert.equal(new IdSpace(160).hash('hello'), helloSha1)
  })

  // SHA-1("hello") = aaf4c61d...aea9434d: its low bits give the small-space values.
  const cases: Array<{ text: string; bits: number; expected: Id }> = [
    { text: 'hello', bits: 160, expected: 0xaaf4c61ddcc5e8a2dabede0f3b482cd9aea9434dn },
    { text: 'hello', bits: 8, expected: 0x4dn },
    { text: 'hello', bits: 4, expected: 0xdn },
    { text: 'hello', bits: 3, expected: 5n }, // 0x4d = 0b1001101, low three bits 101
    { text: 'hello', bits: 1, expected: 1n },
    { text: 'hello', bits: 16, expected: 0x434dn },
    { text: '', bits: 160, expected: 0xda39a3ee5e6b4b0d3255bfef95601890afd80709n },
    { text: '', bits: 8, expected: 0x09n },
  ]
  for (const { text, bits, expected } of cases) {
    test(`hash(${JSON.stringify(text)}) in ${bits} bits = 0x${expected.toString(16)}`, () => {
      assert.equal(new IdSpace(bits).hash(text), expected)
    })
  }

  test('is SHA-1 mod 2^bits for many texts and widths, and always lies in the space', () => {
    const texts = ['a', 'b', 'key-1', 'key-2', '127.0.0.1:8001', 'héllo wörld', '日本語', 'x'.repeat(1000)]
    for (const bits of [1, 2, 3, 7, 8, 13, 32, 64, 100, 159, 160]) {
      const space = new IdSpace(bits)
      for (const text of texts) {
        const id = space.hash(text)
        assert.equal(id, sha1(text) % (1n << BigInt(bits)), `text ${JSON.stringify(text)}, bits ${bits}`)
        assert.ok(id >= 0n && id < space.size)
      }
    }
  })

  test('hashes the UTF-8 bytes of the text', () => {
    // 'é' is two UTF-8 bytes (c3 a9); hashing the Latin-1 byte e9 would give a different id.
    const expected = BigInt('0x' + createHash('sha1').update(Buffer.from([0xc3, 0xa9])).digest('hex'))
    assert.equal(new IdSpace(160).hash('é'), expected)
  })
})

describe('IdSpace.nodeId', () => {
  const cases: Array<{ host: string; port: number; bits: number }> = [
    { host: '127.0.0.1', port: 8001, bits: 8 },
    { host: '127.0.0.1', port: 8002, bits: 8 },
    { host: 'localhost', port: 1, bits: 3 },
    { host: 'node-7.example.org', port: 65535, bits: 160 },
    { host: '::1', port: 9000, bits: 160 },
  ]
  for (const { host, port, bits } of cases) {
    test(`nodeId(${host}, ${port}) = hash("${host}:${port}") in ${bits} bits`, () => {
      const space = new IdSpace(bits)
      assert.equal(space.nodeId(host, port), space.hash(`${host}:${port}`))
      assert.equal(space.nodeId(host, port), sha1(`${host}:${port}`) % space.size)
    })
  }

  test('a different port gives a different address and (here) a different id', () => {
    const space = new IdSpace(160)
    assert.notEqual(space.nodeId('127.0.0.1', 8001), space.nodeId('127.0.0.1', 8002))
  })
})

describe('IdSpace.toHex', () => {
  const cases: Array<{ bits: number; id: Id; expected: string }> = [
    { bits: 3, id: 0n, expected: '0' },
    { bits: 3, id: 7n, expected: '7' },
    { bits: 8, id: 0n, expected: '00' },
    { bits: 8, id: 5n, expected: '05' },
    { bits: 8, id: 0xabn, expected: 'ab' }, // lowercase
    { bits: 8, id: 255n, expected: 'ff' },
    { bits: 9, id: 1n, expected: '001' },
    { bits: 9, id: 511n, expected: '1ff' },
    { bits: 160, id: 0n, expected: '0'.repeat(40) },
    { bits: 160, id: 1n, expected: '0'.repeat(39) + '1' },
    { bits: 160, id: MAX160, expected: 'f'.repeat(40) },
    { bits: 160, id: 0xaaf4c61ddcc5e8a2dabede0f3b482cd9aea9434dn, expected: 'aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d' },
  ]
  for (const { bits, id, expected } of cases) {
    test(`toHex(${id}) in ${bits} bits = "${expected}"`, () => {
      const text = new IdSpace(bits).toHex(id)
      assert.equal(text, expected)
      assert.equal(text.length, new IdSpace(bits).hexLength)
    })
  }
})

describe('IdSpace.parseHex', () => {
  const accepted: Array<{ bits: number; text: string; expected: Id }> = [
    { bits: 8, text: 'ff', expected: 255n },
    { bits: 8, text: 'FF', expected: 255n },
    { bits: 8, text: 'aB', expected: 0xabn },
    { bits: 8, text: '0', expected: 0n }, // shorter than the width is fine
    { bits: 8, text: '00', expected: 0n },
    { bits: 8, text: '7', expected: 7n },
    { bits: 3, text: '7', expected: 7n },
    { bits: 9, text: '1ff', expected: 511n },
    { bits: 9, text: '1FF', expected: 511n },
    { bits: 160, text: 'f'.repeat(40), expected: MAX160 },
    { bits: 160, text: 'AAF4C61DDCC5E8A2DABEDE0F3B482CD9AEA9434D', expected: 0xaaf4c61ddcc5e8a2dabede0f3b482cd9aea9434dn },
  ]
  for (const { bits, text, expected } of accepted) {
    test(`parseHex("${text}") in ${bits} bits = ${expected}`, () => {
      assert.equal(new IdSpace(bits).parseHex(text), expected)
    })
  }

  const rejected: Array<{ bits: number; text: string; why: string }> = [
    { bits: 8, text: '', why: 'empty' },
    { bits: 8, text: 'g0', why: 'not hex' },
    { bits: 8, text: 'zz', why: 'not hex' },
    { bits: 8, text: '-1', why: 'sign' },
    { bits: 8, text: '+1', why: 'sign' },
    { bits: 8, text: '0x1', why: 'prefix' },
    { bits: 8, text: ' 1', why: 'leading space' },
    { bits: 8, text: '1 ', why: 'trailing space' },
    { bits: 8, text: '1\n', why: 'trailing newline' },
    { bits: 8, text: '100', why: 'too long (and 256 >= 2^8)' },
    { bits: 8, text: '000', why: 'too long, even though the value is 0' },
    { bits: 3, text: '8', why: '8 >= 2^3' },
    { bits: 3, text: 'f', why: '15 >= 2^3' },
    { bits: 3, text: '07', why: 'too long for a 1-digit space' },
    { bits: 9, text: '200', why: '512 >= 2^9' },
    { bits: 160, text: '1' + '0'.repeat(40), why: '41 digits' },
    { bits: 160, text: '0'.repeat(41), why: '41 digits, value 0' },
  ]
  for (const { bits, text, why } of rejected) {
    test(`parseHex(${JSON.stringify(text)}) in ${bits} bits is undefined (${why})`, () => {
      assert.equal(new IdSpace(bits).parseHex(text), undefined)
    })
  }

  test('round-trips toHex for every id of 3-, 8- and 9-bit spaces', () => {
    for (const bits of [3, 8, 9]) {
      const space = new IdSpace(bits)
      for (const id of allIds(space)) {
        assert.equal(space.parseHex(space.toHex(id)), id)
        assert.equal(space.parseHex(space.toHex(id).toUpperCase()), id)
      }
    }
  })
})

describe('IdSpace.distance', () => {
  const cases: Array<{ bits: number; from: Id; to: Id; expected: bigint }> = [
    { bits: 8, from: 0n, to: 0n, expected: 0n },
    { bits: 8, from: 77n, to: 77n, expected: 0n },
    { bits: 8, from: 255n, to: 255n, expected: 0n },
    { bits: 8, from: 0n, to: 1n, expected: 1n },
    { bits: 8, from: 10n, to: 20n, expected: 10n },
    { bits: 8, from: 20n, to: 10n, expected: 246n }, // the long way round
    { bits: 8, from: 1n, to: 0n, expected: 255n },
    { bits: 8, from: 255n, to: 0n, expected: 1n }, // wraps past the top
    { bits: 8, from: 0n, to: 255n, expected: 255n },
    { bits: 8, from: 250n, to: 5n, expected: 11n },
    { bits: 8, from: 5n, to: 250n, expected: 245n },
    { bits: 8, from: 128n, to: 0n, expected: 128n },
    { bits: 3, from: 7n, to: 0n, expected: 1n },
    { bits: 3, from: 6n, to: 2n, expected: 4n },
    { bits: 160, from: MAX160, to: 0n, expected: 1n },
    { bits: 160, from: 0n, to: MAX160, expected: MAX160 },
    { bits: 160, from: MAX160, to: MAX160, expected: 0n },
    { bits: 160, from: 1n << 159n, to: 0n, expected: 1n << 159n },
  ]
  for (const { bits, from, to, expected } of cases) {
    test(`distance(${from} -> ${to}) in ${bits} bits = ${expected}`, () => {
      assert.equal(new IdSpace(bits).distance(from, to), expected)
    })
  }

  test('equals the number of clockwise steps for every pair of a 3-bit and an 8-bit space', () => {
    for (const bits of [3, 8]) {
      const space = new IdSpace(bits)
      const ids = allIds(space)
      for (const from of ids) {
        for (const to of ids) {
          const expected = walkSteps(from, to, space.size)
          const actual = space.distance(from, to)
          if (actual !== expected) assert.fail(`bits ${bits}: distance(${from}, ${to}) = ${actual}, expected ${expected}`)
        }
      }
    }
  })

  test('there and back again is once round the ring (or nothing for equal ids)', () => {
    const space = new IdSpace(8)
    for (const a of allIds(space)) {
      for (const b of [0n, 1n, 100n, 254n, 255n]) {
        const roundTrip = space.distance(a, b) + space.distance(b, a)
        assert.equal(roundTrip, a === b ? 0n : space.size)
      }
    }
  })
})

describe('IdSpace.fingerStart', () => {
  const cases: Array<{ bits: number; n: Id; i: number; expected: Id }> = [
    { bits: 8, n: 0n, i: 0, expected: 1n }, // i = 0: the very next id
    { bits: 8, n: 0n, i: 7, expected: 128n }, // i = bits - 1: halfway round
    { bits: 8, n: 100n, i: 3, expected: 108n },
    { bits: 8, n: 255n, i: 0, expected: 0n }, // wraps past 2^bits
    { bits: 8, n: 128n, i: 7, expected: 0n }, // wraps exactly to 0
    { bits: 8, n: 200n, i: 7, expected: 72n }, // 200 + 128 = 328 - 256
    { bits: 8, n: 200n, i: 6, expected: 8n }, // 200 + 64 = 264 - 256
    { bits: 8, n: 255n, i: 7, expected: 127n },
    { bits: 3, n: 0n, i: 0, expected: 1n },
    { bits: 3, n: 0n, i: 2, expected: 4n },
    { bits: 3, n: 7n, i: 0, expected: 0n },
    { bits: 3, n: 6n, i: 2, expected: 2n }, // 6 + 4 = 10 - 8
    { bits: 1, n: 0n, i: 0, expected: 1n },
    { bits: 1, n: 1n, i: 0, expected: 0n },
    { bits: 160, n: 0n, i: 0, expected: 1n },
    { bits: 160, n: 0n, i: 159, expected: 1n << 159n },
    { bits: 160, n: MAX160, i: 0, expected: 0n },
    { bits: 160, n: 1n << 159n, i: 159, expected: 0n },
    { bits: 160, n: MAX160, i: 159, expected: (1n << 159n) - 1n },
  ]
  for (const { bits, n, i, expected } of cases) {
    test(`fingerStart(${n}, ${i}) in ${bits} bits = ${expected}`, () => {
      assert.equal(new IdSpace(bits).fingerStart(n, i), expected)
    })
  }

  test('finger i starts 2^i clockwise steps from n, for every n and i of an 8-bit space', () => {
    const space = new IdSpace(8)
    for (const n of allIds(space)) {
      for (let i = 0; i < space.bits; i++) {
        const start = space.fingerStart(n, i)
        assert.ok(start >= 0n && start < space.size)
        assert.equal(walkSteps(n, start, space.size), 1n << BigInt(i))
      }
    }
  })
})

// The interval tables: (x, a, b) and the expected answer for (a, b), (a, b] and [a, b).
type IntervalCase = { x: Id; a: Id; b: Id; open: boolean; right: boolean; left: boolean; note: string }

function checkIntervalCases(bits: number, cases: IntervalCase[]): void {
  for (const { x, a, b, open, right, left, note } of cases) {
    test(`bits ${bits}: x = ${x}, a = ${a}, b = ${b} (${note})`, () => {
      assert.equal(between(x, a, b), open, `${x} ∈ (${a}, ${b})`)
      assert.equal(betweenRightIncl(x, a, b), right, `${x} ∈ (${a}, ${b}]`)
      assert.equal(betweenLeftIncl(x, a, b), left, `${x} ∈ [${a}, ${b})`)
    })
  }
}

describe('interval membership: table (8 bits)', () => {
  //                                             (a,b)        (a,b]         [a,b)
  checkIntervalCases(8, [
    // a < b
    { x: 15n, a: 10n, b: 20n, open: true, right: true, left: true, note: 'a < b, inside' },
    { x: 10n, a: 10n, b: 20n, open: false, right: false, left: true, note: 'a < b, x at a' },
    { x: 20n, a: 10n, b: 20n, open: false, right: true, left: false, note: 'a < b, x at b' },
    { x: 11n, a: 10n, b: 20n, open: true, right: true, left: true, note: 'a < b, just after a' },
    { x: 19n, a: 10n, b: 20n, open: true, right: true, left: true, note: 'a < b, just before b' },
    { x: 9n, a: 10n, b: 20n, open: false, right: false, left: false, note: 'a < b, just before a' },
    { x: 21n, a: 10n, b: 20n, open: false, right: false, left: false, note: 'a < b, just after b' },
    { x: 0n, a: 10n, b: 20n, open: false, right: false, left: false, note: 'a < b, smallest id outside' },
    { x: 255n, a: 10n, b: 20n, open: false, right: false, left: false, note: 'a < b, largest id outside' },
    { x: 0n, a: 0n, b: 255n, open: false, right: false, left: true, note: 'a = smallest, b = largest, x at a' },
    { x: 255n, a: 0n, b: 255n, open: false, right: true, left: false, note: 'a = smallest, b = largest, x at b' },
    { x: 128n, a: 0n, b: 255n, open: true, right: true, left: true, note: 'a = smallest, b = largest, middle' },
    { x: 0n, a: 0n, b: 1n, open: false, right: false, left: true, note: 'adjacent, x at a' },
    { x: 1n, a: 0n, b: 1n, open: false, right: true, left: false, note: 'adjacent, x at b' },
    { x: 5n, a: 0n, b: 1n, open: false, right: false, left: false, note: 'adjacent, empty open interval' },
    // a > b: the interval wraps past 2^bits - 1 to 0
    { x: 255n, a: 250n, b: 5n, open: true, right: true, left: true, note: 'wrap, largest id' },
    { x: 0n, a: 250n, b: 5n, open: true, right: true, left: true, note: 'wrap, smallest id' },
    { x: 3n, a: 250n, b: 5n, open: true, right: true, left: true, note: 'wrap, after 0' },
    { x: 251n, a: 250n, b: 5n, open: true, right: true, left: true, note: 'wrap, just after a' },
    { x: 250n, a: 250n, b: 5n, open: false, right: false, left: true, note: 'wrap, x at a' },
    { x: 5n, a: 250n, b: 5n, open: false, right: true, left: false, note: 'wrap, x at b' },
    { x: 6n, a: 250n, b: 5n, open: false, right: false, left: false, note: 'wrap, just after b' },
    { x: 128n, a: 250n, b: 5n, open: false, right: false, left: false, note: 'wrap, far outside' },
    { x: 249n, a: 250n, b: 5n, open: false, right: false, left: false, note: 'wrap, just before a' },
    { x: 0n, a: 255n, b: 0n, open: false, right: true, left: false, note: 'a = largest, b = smallest, x at b' },
    { x: 255n, a: 255n, b: 0n, open: false, right: false, left: true, note: 'a = largest, b = smallest, x at a' },
    { x: 100n, a: 255n, b: 0n, open: false, right: false, left: false, note: 'a = largest, b = smallest, empty open' },
    { x: 254n, a: 255n, b: 254n, open: false, right: true, left: false, note: 'everything but a, x at b' },
    { x: 0n, a: 255n, b: 254n, open: true, right: true, left: true, note: 'everything but a and b' },
    // a == b: the whole ring
    { x: 10n, a: 10n, b: 10n, open: false, right: true, left: true, note: 'a == b, x at a: (a,a) excludes it, (a,a] and [a,a) include it' },
    { x: 11n, a: 10n, b: 10n, open: true, right: true, left: true, note: 'a == b, just after a' },
    { x: 9n, a: 10n, b: 10n, open: true, right: true, left: true, note: 'a == b, just before a' },
    { x: 0n, a: 10n, b: 10n, open: true, right: true, left: true, note: 'a == b, smallest id' },
    { x: 255n, a: 10n, b: 10n, open: true, right: true, left: true, note: 'a == b, largest id' },
    { x: 0n, a: 0n, b: 0n, open: false, right: true, left: true, note: 'a == b == 0, x at a' },
    { x: 255n, a: 0n, b: 0n, open: true, right: true, left: true, note: 'a == b == 0, largest id' },
    { x: 255n, a: 255n, b: 255n, open: false, right: true, left: true, note: 'a == b == largest, x at a' },
    { x: 0n, a: 255n, b: 255n, open: true, right: true, left: true, note: 'a == b == largest, smallest id' },
  ])
})

describe('interval membership: table (160 bits)', () => {
  const half = 1n << 159n
  checkIntervalCases(160, [
    { x: half, a: 0n, b: MAX160, open: true, right: true, left: true, note: 'middle of the ring' },
    { x: 0n, a: MAX160, b: 1n, open: true, right: true, left: true, note: 'wrap through 0' },
    { x: MAX160, a: MAX160 - 1n, b: 0n, open: true, right: true, left: true, note: 'wrap, largest id' },
    { x: MAX160, a: 0n, b: MAX160, open: false, right: true, left: false, note: 'x at b = largest' },
    { x: 0n, a: 0n, b: MAX160, open: false, right: false, left: true, note: 'x at a = smallest' },
    { x: 0n, a: MAX160, b: 0n, open: false, right: true, left: false, note: 'a = largest, b = smallest, x at b' },
    { x: half, a: MAX160, b: 0n, open: false, right: false, left: false, note: 'a = largest, b = smallest, far outside' },
    { x: half, a: half, b: half, open: false, right: true, left: true, note: 'a == b, x at a' },
    { x: half + 1n, a: half, b: half, open: true, right: true, left: true, note: 'a == b, just after a' },
    { x: MAX160, a: half, b: half - 1n, open: true, right: true, left: true, note: 'wrap, nearly the whole ring' },
    { x: half - 1n, a: half, b: half - 1n, open: false, right: true, left: false, note: 'wrap, x at b' },
  ])
})

describe('interval membership: brute force over every (x, a, b)', () => {
  // For each a, walk clockwise once from a; (a, b) is what the walk passes before reaching b, and
  // (a, b] / [a, b) add b / a. This covers a < b, a > b, a == b and both ends of the id range.
  for (const bits of [3, 8]) {
    test(`bits = ${bits}: between, betweenRightIncl and betweenLeftIncl match a clockwise walk`, () => {
      const space = new IdSpace(bits)
      const ids = allIds(space)
      const mismatches: string[] = []
      for (const a of ids) {
        for (const b of ids) {
          const open = walkOpen(a, b, space.size)
          for (const x of ids) {
            const expectOpen = open.has(x)
            const expectRight = expectOpen || x === b
            const expectLeft = expectOpen || x === a
            if (between(x, a, b) !== expectOpen) mismatches.push(`${x} ∈ (${a}, ${b}) should be ${expectOpen}`)
            if (betweenRightIncl(x, a, b) !== expectRight) mismatches.push(`${x} ∈ (${a}, ${b}] should be ${expectRight}`)
            if (betweenLeftIncl(x, a, b) !== expectLeft) mismatches.push(`${x} ∈ [${a}, ${b}) should be ${expectLeft}`)
          }
        }
      }
      assert.deepEqual(mismatches.slice(0, 20), [], `${mismatches.length} mismatches`)
    })
  }

  test('bits = 3: the sizes of the intervals follow from the distance', () => {
    // |(a,b)| = d - 1, |(a,b]| = |[a,b)| = d, where d = distance(a, b), or 2^bits when a == b.
    const space = new IdSpace(3)
    const ids = allIds(space)
    for (const a of ids) {
      for (const b of ids) {
        const d = a === b ? 8 : Number(space.distance(a, b))
        assert.equal(ids.filter((x) => between(x, a, b)).length, d - 1, `|(${a}, ${b})|`)
        assert.equal(ids.filter((x) => betweenRightIncl(x, a, b)).length, d, `|(${a}, ${b}]|`)
        assert.equal(ids.filter((x) => betweenLeftIncl(x, a, b)).length, d, `|[${a}, ${b})|`)
      }
    }
  })

  test('bits = 3: (a, a) is every id but a; (a, a] and [a, a) are every id', () => {
    const space = new IdSpace(3)
    const ids = allIds(space)
    for (const a of ids) {
      assert.deepEqual(ids.filter((x) => between(x, a, a)), ids.filter((x) => x !== a))
      assert.deepEqual(ids.filter((x) => betweenRightIncl(x, a, a)), ids)
      assert.deepEqual(ids.filter((x) => betweenLeftIncl(x, a, a)), ids)
    }
  })
})

describe('successorIndex / ownerIndex over sorted ids', () => {
  const ids = [10n, 20n, 200n]
  //  id/key  successor (first id >= it)  owner (last id <= it)
  const table: Array<[bigint, number, number]> = [
    [0n, 0, 2], // before the first id: wraps for the owner
    [10n, 0, 0], // on an id: it succeeds and owns itself
    [11n, 1, 0],
    [20n, 1, 1],
    [199n, 2, 1],
    [200n, 2, 2],
    [255n, 0, 2], // past the last id: wraps for the successor
  ]
  for (const [x, successor, owner] of table) {
    test(`x = ${x}: successor ${ids[successor]}, owner ${ids[owner]}`, () => {
      assert.equal(successorIndex(ids, x), successor)
      assert.equal(ownerIndex(ids, x), owner)
    })
  }

  test('agree with a walk round the ring for every id of an 8-bit ring', () => {
    const space = new IdSpace(8)
    const ring = [3n, 77n, 78n, 250n]
    const walk = (from: bigint, step: bigint): bigint => {
      for (let x = from; ; x = (x + step + space.size) % space.size) if (ring.includes(x)) return x
    }
    for (let x = 0n; x < space.size; x++) {
      assert.equal(ring[successorIndex(ring, x)], walk(x, 1n), `successor of ${x}`)
      assert.equal(ring[ownerIndex(ring, x)], walk(x, -1n), `owner of ${x}`)
    }
  })

  test('a ring of one: the single id succeeds and owns everything', () => {
    assert.equal(successorIndex([42n], 0n), 0)
    assert.equal(ownerIndex([42n], 0n), 0)
    assert.equal(ownerIndex([42n], 99n), 0)
  })
})
