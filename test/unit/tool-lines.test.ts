// The tools' lines for people, as pure functions: port lists sorted (and runs folded into ranges), words
// wrapped to a width, the exit code each error ends in, what a stopped ring held, the messages a first
// screen shows, the monitor's health classified as make check does, and a write whose answer never came.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { clientDeadlineMs, SILENT_PEERS_OUTLASTED, TIMEOUT_RETRIES } from '../../src/node/config.js'
import { DhtError, isToolError, ToolError } from '../../src/node/errors.js'
import type { Message } from '../../src/node/trace/messages.js'
import { EXIT_CODES, exitCodeOf, exitCodesHelp } from '../../src/tools/exit-codes.js'
import type { ProcessRecord } from '../../src/tools/network-state.js'
import { portList, wrapWords } from '../../src/tools/output.js'
import { RingClient, writeOutcome } from '../../src/tools/ring-client.js'
import type { Finding } from '../../src/tools/ring-classification.js'
import { surveyLine } from '../../src/tools/ring-survey.js'
import { recentMessages } from '../../src/workbench/terminal/message-tail.js'
import { healthLines } from '../../src/workbench/terminal/monitor-view.js'
import { nodeNames } from '../../src/workbench/faults/ring-faults.js'

describe('portList', () => {
  const cases: Array<{ ports: number[]; expected: string }> = [
    { ports: [], expected: '' },
    { ports: [5000], expected: '5000' },
    { ports: [5001, 5000], expected: '5000, 5001' },
    { ports: [5002, 5000, 5001], expected: '5000–5002' },
    { ports: [44833, 5003, 5001, 5002, 5000, 5007], expected: '5000–5003, 5007, 44833' },
    { ports: [5000, 5000, 5001], expected: '5000, 5001' },
    { ports: [9, 10, 100, 11], expected: '9–11, 100' },
  ]
  for (const { ports, expected } of cases) {
    test(`[${ports.join(', ')}] is "${expected}": ascending, numbers not text, runs of three or more as ranges`, () => {
      assert.equal(portList(ports), expected)
    })
  }
})

describe('nodeNames: the nodes of a fault, as make partition prints them', () => {
  const node = (host: string, port: number) => ({ id: String(port), host, port, address: `${host}:${port}` })
  test('in port order whatever the ring order; host:port, by host then port, when the nodes are on several machines', () => {
    assert.equal(nodeNames([node('127.0.0.1', 5003), node('127.0.0.1', 5001), node('127.0.0.1', 44833)]), '@5001 @5003 @44833')
    assert.equal(nodeNames([node('10.0.0.3', 5000), node('10.0.0.2', 5001), node('10.0.0.2', 5000)]), '10.0.0.2:5000 10.0.0.2:5001 10.0.0.3:5000')
  })
})

describe('wrapWords', () => {
  test('breaks at spaces within the width; later lines take the indent', () => {
    const lines = wrapWords('settling, not broken: 3 successor lists catching up, 16 extra copies not yet cleaned up', 40, '    ')
    assert.deepEqual(lines, ['settling, not broken: 3 successor lists', '    catching up, 16 extra copies not yet', '    cleaned up'])
    for (const line of lines) assert.ok(line.length <= 40, line)
  })

  test('a word longer than the width gets a line of its own; short text is one line; no text is none', () => {
    assert.deepEqual(wrapWords('a 0123456789abcdef b', 8), ['a', '0123456789abcdef', 'b'])
    assert.deepEqual(wrapWords('fits', 80), ['fits'])
    assert.deepEqual(wrapWords('', 80), [])
  })
})

describe('exit codes', () => {
  test('absent value and other failures 1, bad arguments 2, unknown outcome 3', () => {
    assert.equal(exitCodeOf(new DhtError('NOT_FOUND', '"x" is not stored')), 1)
    assert.equal(exitCodeOf(new DhtError('ROUTE_FAILED', 'no route')), 1)
    assert.equal(exitCodeOf(new ToolError('NO_RING', 'no ring is running')), 1)
    assert.equal(exitCodeOf(new Error('anything else')), 1)
    assert.equal(exitCodeOf(new ToolError('BAD_ARGUMENT', 'PORT must be a whole number')), 2)
    assert.equal(exitCodeOf(new ToolError('NO_SUCH_NODE', 'no node of this ring runs on port 1')), 2)
    assert.equal(exitCodeOf(new DhtError('PAYLOAD_TOO_LARGE', 'value is larger than 65536 bytes')), 2)
    assert.equal(exitCodeOf(new ToolError('OUTCOME_UNKNOWN', 'unknown outcome')), 3)
    assert.deepEqual(EXIT_CODES, { done: 0, failed: 1, badArgument: 2, unknownOutcome: 3 })
  })

  test('make help lists every code', () => {
    const help = exitCodesHelp().join('\n')
    for (const code of Object.values(EXIT_CODES)) assert.match(help, new RegExp(`^  ${code}  `, 'm'))
  })
})

describe('a write whose answer never came', () => {
  test('a store or delete that timed out has an unknown outcome; any other error passes through', () => {
    const timeout = new DhtError('PEER_TIMEOUT', 'POST http://127.0.0.1:5000/store: no answer within 10000 ms')
    const store = writeOutcome(timeout, 'store', 'hello')
    assert.ok(isToolError(store, 'OUTCOME_UNKNOWN'))
    assert.match(store.message, /^unknown outcome: the store of "hello" got no answer \(.*10000 ms\); it may have been stored/)
    const deleted = writeOutcome(timeout, 'delete', 'hello')
    assert.ok(isToolError(deleted, 'OUTCOME_UNKNOWN') && /may have been deleted/.test(deleted.message))
    const refused = new DhtError('PAYLOAD_TOO_LARGE', 'too large')
    assert.equal(writeOutcome(refused, 'store', 'x'), refused)
  })

  test('a client waits for store, lookup and delete as long as the ring retries: two silent peers, each asked twice, and the work', () => {
    assert.equal(TIMEOUT_RETRIES, 1)
    assert.equal(SILENT_PEERS_OUTLASTED, 2)
    assert.equal(clientDeadlineMs(2000), 10_000)
    const client = new RingClient(8, { timeoutMs: 300 })
    try {
      assert.equal(client.operationTimeoutMs, clientDeadlineMs(300))
      assert.equal(client.http.timeoutMs, 300, 'the other routes keep the request timeout')
    } finally {
      client.close()
    }
  })
})

describe('surveyLine: what a stopped ring held', () => {
  const node = (port: number): ProcessRecord => ({ host: '127.0.0.1', port, id: port.toString(16).padStart(40, '0'), pid: port, startedAt: '2026-01-01T00:00:00.000Z' })
  test('nodes, their ports sorted, the distinct values', () => {
    assert.equal(surveyLine({ nodes: [node(5001), node(5000)], values: 102, silent: 0 }), '2 nodes on ports 5000, 5001 holding 102 values')
    assert.equal(surveyLine({ nodes: [node(5000)], values: 1, silent: 0 }), '1 node on port 5000 holding 1 value')
  })

  test('nodes that did not answer are counted as such', () => {
    assert.equal(
      surveyLine({ nodes: [5003, 5000, 5002, 5001].map(node), values: 80, silent: 1 }),
      '4 nodes on ports 5000–5003 holding 80 values (1 node did not answer: its values are not counted)',
    )
    assert.equal(surveyLine({ nodes: [node(5000), node(5001)], values: 0, silent: 2 }), '2 nodes on ports 5000, 5001 (none answered: what they held is unknown)')
  })
})

describe('recentMessages: the first screen of make messages', () => {
  const at = (start: number) => ({ start }) as Message
  test('the messages of the last window, and how many older ones are left out; window 0 keeps all', () => {
    const messages = [at(1_000), at(50_000), at(95_000), at(99_000)]
    const recent = recentMessages(messages, 10_000, 100_000)
    assert.deepEqual(recent.shown.map((m) => m.start), [95_000, 99_000])
    assert.equal(recent.leftOut, 2)
    assert.deepEqual(recentMessages(messages, 0, 100_000), { shown: messages, leftOut: 0 })
    assert.deepEqual(recentMessages(messages, 1000, 200_000), { shown: [], leftOut: 4 })
  })
})

describe('healthLines: the monitor classifies as make check does', () => {
  const plain = (lines: string[]) => lines.map((l) => l.replace(/\x1b\[[0-9;]*m/g, ''))
  const settling = (kind: Finding['kind'], n: number): Finding[] => Array.from({ length: n }, (_, i) => ({ kind, severity: 'settling', message: `${kind} ${i}` }))

  test('a ring settling after a join is settling, not broken, summarised by kind and wrapped to the width', () => {
    const findings = [...settling('successor-list', 3), ...settling('stray', 14)]
    const lines = plain(healthLines(findings, 60))
    assert.match(lines.join(' ').replace(/\s+/g, ' '), /settling, not broken: 3 successor lists catching up, 14 extra copies not yet cleaned up/)
    assert.ok(!lines.some((l) => /✘/.test(l)), lines.join('\n'))
    for (const line of lines) assert.ok(line.length <= 60, `${line.length} columns: ${line}`)
  })

  test('broken problems are listed one by one (five at most), and what also settles is said after them', () => {
    const broken: Finding[] = Array.from({ length: 7 }, (_, i) => ({ kind: 'order', severity: 'broken', message: `successor of node ${i} is out of order` }))
    const lines = plain(healthLines([...broken, ...settling('fingers', 2)], 80))
    assert.match(lines[0]!, /✘ broken: 7 problems that maintenance does not repair/)
    assert.equal(lines.filter((l) => /· order: successor of node/.test(l)).length, 5)
    assert.ok(lines.some((l) => /… and 2 more/.test(l)))
    assert.match(lines.at(-1)!, /also settling: 2 finger tables not yet refreshed/)
  })

  test('no findings: healthy, within 80 columns', () => {
    const lines = plain(healthLines([], 80))
    assert.equal(lines.length, 1)
    assert.match(lines[0]!, /✔ ring healthy/)
    assert.ok(lines[0]!.length <= 80)
  })
})
