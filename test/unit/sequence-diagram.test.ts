// The terminal's sequence diagram (src/workbench/terminal/sequence-diagram.ts) on fixed messages: the lanes in order
// (client first), arrows pointing from sender to receiver and ending on its lifeline, a message to
// oneself, failed messages red and maintenance dimmed, every line within the width, and a list when
// the lanes do not fit.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import pc from 'picocolors'
import { sequenceDiagram } from '../../src/workbench/terminal/sequence-diagram.js'
import { mergeTrace } from '../../src/node/trace/messages.js'
import { visible } from '../../src/workbench/report/format.js'
import { joinTrace, lookupTrace, message, node, TRACE_ID } from './trace-fixtures.js'

const plain = pc.createColors(false)
const coloured = pc.createColors(true)

/** The diagram without colours, at `width`. */
function draw(messages = lookupTrace(), width = 140): string[] {
  return sequenceDiagram(messages, { width, palette: plain })
}

/** The columns of a row's lifelines and arrow ends. */
function columnsOf(row: string, chars: string): number[] {
  return [...row].flatMap((c, i) => (chars.includes(c) ? [i] : []))
}

describe('the terminal sequence diagram', () => {
  test('a title with the trace id, then the lanes in order of appearance, the client first', () => {
    const lines = draw()
    assert.match(lines[0]!, new RegExp(`^trace ${TRACE_ID}  4 messages between 4 parties in 9\\.20 ms$`))
    const labels = lines[1]!.trim().split(/\s+/)
    assert.deepEqual(labels, ['ms', 'client', '@5001', '@5002', '@5003'])
    assert.deepEqual(lines[2]!.trim().split(/\s+/), [node(5001), node(5002), node(5003)].map((n) => n.id.slice(0, 8)))
  })

  test('one row per message in time order, each an arrow from its sender\'s lane to its receiver\'s', () => {
    const lines = draw()
    const lifelines = columnsOf(lines[3]!, '│')
    assert.equal(lifelines.length, 4, 'four lanes')
    const rows = lines.slice(4)
    assert.equal(rows.length, 4)
    // client → @5001, @5001 → @5002, @5001 → @5003 twice.
    const expected: Array<[number, number]> = [[0, 1], [1, 2], [1, 3], [1, 3]]
    rows.forEach((row, i) => {
      const [from, to] = expected[i]!
      assert.equal(row.indexOf('├'), lifelines[from], `row ${i} starts on lane ${from}: ${row}`)
      assert.equal(row.indexOf('▶'), lifelines[to]! - 1, `row ${i} ends on lane ${to}'s lifeline`)
      assert.equal(row[lifelines[to]!], '│')
    })
    assert.match(rows[0]!, /GET \/lookup\s+200\s+9\.20 ms\s+lookup "hello": found on @5003 \(2 hops\)$/)
    assert.match(rows[1]!, /^\s+\+1\.0 /, 'each row starts with when it was sent, from the first message')
  })

  test('an answer back to the left points left, and a message to oneself loops on its lane', () => {
    const [a, b] = [node(5001), node(5002)]
    const lines = draw([
      message({ from: a, to: b, start: 10, path: '/notify', method: 'POST' }),
      message({ from: b, to: a, start: 11, path: '/successor' }),
      message({ from: b, to: b, start: 12, path: '/nodeinfo' }),
    ])
    const lifelines = columnsOf(lines[3]!, '│')
    const [right, left, self] = lines.slice(4)
    assert.ok(right!.indexOf('├') < right!.indexOf('▶'))
    assert.equal(left!.indexOf('◀'), lifelines[0]! + 1, 'the left arrow\'s head touches the receiver\'s lifeline')
    assert.equal(left!.indexOf('┤'), lifelines[1], 'and starts on the sender\'s')
    assert.equal(self!.indexOf('├─↺'), lifelines[1])
  })

  test('a failed message is red and says why; maintenance is dimmed and named', () => {
    const [a, b] = [node(5001), node(5002)]
    const lines = sequenceDiagram(
      [
        message({ from: null, to: a, start: 0, path: '/lookup' }),
        message({ from: a, to: b, start: 1, status: null, error: 'PEER_TIMEOUT', summary: 'route key 3f2a91c0: no answer' }),
        message({ from: a, to: b, start: 2, status: 404, error: 'NOT_FOUND', summary: 'get 3f2a91c0: none' }),
        message({ from: b, to: a, start: 3, task: 'stabilize', summary: 'predecessor @5001' }),
      ],
      { width: 120, palette: coloured, maintenance: true },
    )
    const [ok, timeout, notFound, stabilize] = lines.slice(4)
    assert.ok(!ok!.includes('\x1b[31m'), 'an answered message is not red')
    assert.ok(timeout!.includes(coloured.red('├')) || timeout!.includes('\x1b[31m├'), 'the failed arrow is red')
    assert.match(visible(timeout!), /PEER_TIMEOUT/)
    assert.match(visible(notFound!), /404 NOT_FOUND/)
    assert.ok(notFound!.includes('\x1b[31m'))
    assert.ok(stabilize!.includes(coloured.dim('predecessor @5001 [stabilize]')), 'the maintenance row is dimmed, its task named')
  })

  test('every line fits the width, from 100 to 140 columns and at 80', () => {
    const long = [...lookupTrace(), message({ from: node(5003), to: node(5004), start: 1008, summary: 'x'.repeat(300) })]
    for (const width of [80, 100, 120, 140]) {
      for (const line of sequenceDiagram(long, { width, palette: coloured })) {
        assert.ok(visible(line).length <= width, `at ${width}: ${visible(line).length} columns: ${visible(line)}`)
      }
    }
  })

  test('a summary too long for the room left wraps under its own column, the lifelines going on', () => {
    const long = message({ from: node(5001), to: node(5002), start: 1, summary: 'insert 3 values "Lorem ipsum dolor sit amet" "consectetur adipiscing" "elit sed do" (handoff, copies 1): 3 new' })
    const lines = draw([message({ from: null, to: node(5001), start: 0 }), long], 110)
    const rows = lines.slice(4)
    assert.ok(rows.length >= 3, `the second message takes more than one line:\n${lines.join('\n')}`)
    const summaryAt = rows[1]!.indexOf('insert 3 values')
    const afterLanes = rows[2]!.lastIndexOf('│') + 1
    assert.equal(afterLanes + rows[2]!.slice(afterLanes).search(/\S/), summaryAt, 'the continuation starts under the summary')
    assert.deepEqual(columnsOf(rows[2]!, '│'), columnsOf(lines[3]!, '│'), 'with the lifelines drawn through')
    for (const row of rows) assert.ok(row.length <= 110)
    assert.equal(rows.slice(1).map((r) => r.slice(summaryAt).trim()).join(' '), long.summary, 'nothing of it lost')
  })

  test('too many lanes for the width: a list with "@5000 → @5007", still in time order', () => {
    // A 30-node lookup in linear mode: the entry asks every successor in turn.
    const entry = node(5000)
    const walk = [message({ from: null, to: entry, start: 0, path: '/lookup' })]
    for (let i = 1; i < 30; i++) walk.push(message({ from: entry, to: node(5000 + i), start: i, path: '/successor', summary: `successor of @${5000 + i}` }))
    const lines = draw(mergeTrace(walk), 140)
    assert.match(lines[0]!, /30 messages between 31 parties/)
    assert.equal(lines.length, 31, 'the title and one line per message')
    assert.match(lines[1]!, /\+0\.0 client → @5000\s+GET \/lookup/)
    assert.match(lines[8]!, /\+7\.0 @5000 → @5007\s+GET \/successor\s+200\s+1\.50 ms\s+successor of @5007$/)
    assert.ok(!lines.some((l) => l.includes('│')), 'no lanes drawn')
    for (const line of lines) assert.ok(line.length <= 140)
  })

  test('a few lanes in a narrow terminal: the lanes narrow before the diagram becomes a list', () => {
    const wide = draw(lookupTrace(), 140)
    const narrow = draw(lookupTrace(), 100)
    assert.ok(narrow[3]!.includes('│'), `still lanes at 100 columns:\n${narrow.join('\n')}`)
    assert.ok(columnsOf(narrow[3]!, '│')[1]! - columnsOf(narrow[3]!, '│')[0]! <= columnsOf(wide[3]!, '│')[1]! - columnsOf(wide[3]!, '│')[0]!)
  })

  test('nodes on several hosts are labelled host:port; no messages, a line saying so', () => {
    const lines = draw([message({ from: null, to: node(5000, '10.0.0.1'), start: 0 }), message({ from: node(5000, '10.0.0.1'), to: node(5000, '10.0.0.2'), start: 1 })])
    assert.match(lines[1]!, /10\.0\.0\.1:5000/)
    assert.deepEqual(draw([]), ['no messages'])
  })

  test('a join in a ring of 16 stays a diagram: the announcement one row to everyone, maintenance only with ALL=1', () => {
    const lines = draw(joinTrace(), 160)
    assert.match(lines[1]!, /^\s+ms\s+@5016\s+@5013\s+@5005\s+@5007\s+@5008\s+@5011\s+everyone\s*$/, `lanes, not a list:\n${lines.join('\n')}`)
    const rows = lines.filter((l) => /^\s+\+\d/.test(l))
    assert.equal(rows.length, 15)
    assert.ok(!lines.some((l) => /announce: /.test(l)), 'no announcement of its own')
    const lifelines = columnsOf(lines[3]!, '│')
    const announce = rows.at(-1)!
    assert.equal(announce.indexOf('├'), lifelines[0])
    assert.equal(announce.indexOf('▶'), lifelines.at(-1)! - 1, 'from the joiner to everyone')
    assert.match(announce, /POST \/announce\s+200\s+[\d.]+ ms\s+announce "joined @5016" to 16 nodes$/)
    assert.match(lines.at(-1)!, /^  16 broadcast messages folded into one row; 8 maintenance messages hidden \(ALL=1 shows them\)$/)
    assert.match(draw(joinTrace(), 140)[1]!, /@5016 .* everyone/, 'in 140 columns too')
    const all = sequenceDiagram(joinTrace(), { width: 140, palette: plain, maintenance: true })
    assert.equal(all.filter((l) => /^\s+\+\d/.test(l)).length, 23)
    assert.ok(all.some((l) => l.includes('[fix_fingers]')))
  })
})
