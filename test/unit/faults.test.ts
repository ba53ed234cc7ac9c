// Fault injection as data and as a Transport: the plan's validation, the draws made from it, and
// FaultTransport against the scripted transport (blocked peers, lost calls with a seeded random and an
// instant sleep, delay ± jitter within bounds, clearing), composed under the tracing wrapper so the
// message log shows what was injected; the slow node's dispatch wrapper and the partition planner.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { RingClient } from '../../src/tools/ring-client.js'
import { DhtError, isDhtError, isToolError } from '../../src/node/errors.js'
import { FaultTransport } from '../../src/node/faults/fault-transport.js'
import { Faults, sleepAtLeast } from '../../src/node/faults/faults.js'
import { partitionPlan } from '../../src/node/faults/partition.js'
import { describePlan, isHealthy, NO_FAULTS, parsePlan, planOf } from '../../src/node/faults/plan.js'
import { partitionSide, type FaultNode } from '../../src/workbench/faults/ring-faults.js'
import { CLIENT_ROUTES } from '../../src/node/api/client-routes.js'
const FAULTS_PATH = CLIENT_ROUTES.faults.path
import { slowDispatch } from '../../src/node/faults/slow-dispatch.js'
import type { IncomingRequest } from '../../src/node/server/json-server.js'
import { peerAddress } from '../../src/node/protocol/types.js'
import { IdSpace } from '../../src/node/ring.js'
import { SeededRandom } from '../../src/workbench/sim/random.js'
import { MessageLog } from '../../src/node/trace/message-log.js'
import { TracingTransport } from '../../src/node/trace/traced-transport.js'
import { Tracer } from '../../src/node/trace/tracer.js'
import { Wire } from '../../src/node/wire.js'
import { peer, ScriptedTransport } from '../helpers/scripted-transport.js'

const TIMEOUT_MS = 2000
const a = peer(10)
const b = peer(20)
const self = peer(1)

/** A sleep that takes no time but records what it was asked, on a clock the test reads. */
function fakeSleep() {
  const slept: number[] = []
  const clock = { now: 0 }
  const sleep = async (ms: number) => {
    slept.push(ms)
    clock.now += ms
  }
  return { slept, clock, sleep }
}

/** A random source that counts its draws. */
function counted(random: () => number) {
  const draws = { count: 0 }
  return { draws, random: () => (draws.count++, random()) }
}

function setup(plan: Parameters<Faults['replace']>[0] = {}, random: () => number = Math.random) {
  const { slept, clock, sleep } = fakeSleep()
  const inner = new ScriptedTransport()
  const faults = new Faults({ plan, random, sleep })
  const transport = new FaultTransport(inner, faults, { timeoutMs: TIMEOUT_MS, self })
  return { inner, faults, transport, slept, clock }
}

async function rejection(promise: Promise<unknown>): Promise<DhtError> {
  try {
    await promise
  } catch (error) {
    assert.ok(error instanceof DhtError, `expected a DhtError, got ${String(error)}`)
    return error
  }
  assert.fail('expected the call to fail')
}

describe('the fault plan', () => {
  test('a plan from JSON: any of the fields, the rest off; {} is no faults', () => {
    assert.deepEqual(parsePlan({}), NO_FAULTS)
    assert.ok(isHealthy(parsePlan({})))
    assert.deepEqual(parsePlan({ delayMs: 25, jitterMs: 5 }), { ...NO_FAULTS, delayMs: 25, jitterMs: 5 })
    assert.deepEqual(parsePlan({ dropRate: 0.1, slowMs: 200, blocked: ['127.0.0.1:5001', '127.0.0.1:5001', 'node-b:5002'] }), {
      ...NO_FAULTS,
      dropRate: 0.1,
      slowMs: 200,
      blocked: ['127.0.0.1:5001', 'node-b:5002'],
    })
  })

  test('each bad field is refused as BAD_REQUEST naming it, with the bounds of its setting', () => {
    const refused = (body: unknown, message: RegExp) =>
      assert.throws(() => parsePlan(body), (error: unknown) => isDhtError(error, 'BAD_REQUEST') && message.test(error.message))
    refused(null, /^body must be a JSON object$/)
    refused([], /^body must be a JSON object$/)
    refused({ delay: 5 }, /^body\.delay is not a fault; the faults are delayMs, jitterMs, dropRate, slowMs, blocked$/)
    refused({ delayMs: -1 }, /^body\.delayMs must be an integer from 0 to 60000$/)
    refused({ delayMs: 1.5 }, /^body\.delayMs must be an integer/)
    refused({ jitterMs: 'x' }, /^body\.jitterMs must be an integer/)
    refused({ slowMs: 60_001 }, /^body\.slowMs must be an integer from 0 to 60000$/)
    refused({ dropRate: 1.5 }, /^body\.dropRate must be a number from 0 to 1$/)
    refused({ dropRate: '0.1' }, /^body\.dropRate must be a number/)
    refused({ blocked: '127.0.0.1:5001' }, /^body\.blocked must be an array$/)
    refused({ blocked: ['127.0.0.1'] }, /^body\.blocked\[0\] must be host:port$/)
    refused({ blocked: ['127.0.0.1:5001', 'bad host:1'] }, /^body\.blocked\[1\] must be host:port$/)
    refused({ blocked: ['127.0.0.1:70000'] }, /^body\.blocked\[0\] must be host:port$/)
  })

  test('described for people', () => {
    assert.equal(describePlan(NO_FAULTS), 'no faults')
    assert.equal(describePlan(planOf({ delayMs: 25, jitterMs: 5, dropRate: 0.1, slowMs: 200, blocked: ['h:1', 'h:2'] })), 'calls delayed 25 ± 5 ms, 10 % of calls lost, slow 200 ms, 2 nodes cut off')
  })
})

describe('Faults', () => {
  test('replace sets the whole plan, update only what it names, clear everything', () => {
    const faults = new Faults({ plan: { delayMs: 25 } })
    assert.equal(faults.plan.delayMs, 25)
    faults.update({ dropRate: 0.5 })
    assert.deepEqual(faults.plan, { ...NO_FAULTS, delayMs: 25, dropRate: 0.5 })
    faults.replace({ slowMs: 10 })
    assert.deepEqual(faults.plan, { ...NO_FAULTS, slowMs: 10 })
    assert.ok(!faults.affectsCalls, 'slowness is the server\'s, not the calls\'')
    faults.update({ blocked: ['h:1'] })
    assert.ok(faults.blocks('h:1') && !faults.blocks('h:2'))
    assert.deepEqual(faults.clear(), NO_FAULTS)
    assert.ok(faults.healthy && !faults.blocks('h:1'))
  })

  test('the plan handed out is a copy', () => {
    const faults = new Faults({ plan: { blocked: ['h:1'] } })
    faults.plan.blocked.push('h:2')
    assert.deepEqual(faults.plan.blocked, ['h:1'])
  })

  test('no draw is made for a fault that is not set', () => {
    const { draws, random } = counted(Math.random)
    const faults = new Faults({ plan: { delayMs: 30 }, random })
    for (let i = 0; i < 100; i++) {
      assert.equal(faults.holdMs(), 30)
      assert.equal(faults.drops(), false)
    }
    assert.equal(draws.count, 0)
  })

  test('sleepAtLeast never wakes early', async () => {
    for (const ms of [1, 5, 12]) {
      const start = performance.now()
      await sleepAtLeast(ms)
      assert.ok(performance.now() - start >= ms, `slept ${performance.now() - start} ms for ${ms}`)
    }
  })
})

describe('FaultTransport', () => {
  test('with no fault, every call goes straight to the transport underneath, in the same turn', async () => {
    const { inner, transport, slept } = setup()
    const pending = transport.call(a, 'ping', {})
    assert.equal(inner.calls.length, 1, 'sent before any await')
    await pending
    assert.deepEqual(slept, [])
  })

  test('blocked: a call to the other side of a partition fails at once with PEER_UNREACHABLE, and never reaches the peer', async () => {
    const { inner, transport, slept } = setup({ blocked: [peerAddress(a)] })
    const error = await rejection(transport.call(a, 'routeStep', { key: 5n, mode: 'fingers' }))
    assert.equal(error.code, 'PEER_UNREACHABLE')
    assert.match(error.message, /partition/)
    assert.deepEqual(slept, [], 'no wait: a partition answers at once')
    assert.equal(inner.calls.length, 0)
    await transport.call(b, 'ping', {})
    assert.deepEqual(inner.calls.map((c) => c.to), [b], 'the other peers are reached')
  })

  test('drop: a lost call waits the request timeout, then PEER_TIMEOUT; the peer never sees it', async () => {
    const { inner, transport, slept } = setup({ dropRate: 1 })
    const error = await rejection(transport.call(a, 'notify', { candidate: b }))
    assert.equal(error.code, 'PEER_TIMEOUT')
    assert.match(error.message, /lost/)
    assert.deepEqual(slept, [TIMEOUT_MS])
    assert.equal(inner.calls.length, 0)
  })

  test('drop with a seeded random: about the rate of calls are lost, the same ones for the same seed', async () => {
    const run = async (seed: number) => {
      const random = new SeededRandom(seed)
      const { inner, transport } = setup({ dropRate: 0.3 }, () => random.next())
      const lost: number[] = []
      for (let i = 0; i < 1000; i++) {
        try {
          await transport.call(a, 'ping', {})
        } catch (error) {
          assert.ok(isDhtError(error, 'PEER_TIMEOUT'))
          lost.push(i)
        }
      }
      assert.equal(inner.calls.length, 1000 - lost.length, 'only the calls not lost reach the peer')
      return lost
    }
    const lost = await run(42)
    assert.ok(lost.length > 240 && lost.length < 360, `${lost.length} of 1000 lost at rate 0.3`)
    assert.deepEqual(await run(42), lost, 'replayed by its seed')
  })

  test('delay ± jitter: each call is held within [delay − jitter, delay + jitter] before it is sent', async () => {
    const random = new SeededRandom(7)
    const { inner, transport, slept, clock } = setup({ delayMs: 25, jitterMs: 5 }, () => random.next())
    const sentAt: number[] = []
    inner.on('routeStep', () => {
      sentAt.push(clock.now)
      return { kind: 'next', candidates: [], successors: [] }
    })
    for (let i = 0; i < 500; i++) await transport.call(a, 'routeStep', { key: 5n, mode: 'linear' })
    assert.equal(slept.length, 500)
    assert.ok(slept.every((ms) => ms >= 20 && ms <= 30), `holds from ${Math.min(...slept)} to ${Math.max(...slept)} ms`)
    assert.ok(Math.min(...slept) < 21 && Math.max(...slept) > 29, 'the whole range is used')
    // Each call left only after its hold: the clock at sending is the sum of the holds so far.
    let total = 0
    slept.forEach((ms, i) => {
      total += ms
      assert.equal(sentAt[i], total)
    })
  })

  test('a jitter larger than the delay never holds a call for less than 0 ms', async () => {
    const { transport, slept } = setup({ delayMs: 2, jitterMs: 10 }, () => 0)
    await transport.call(a, 'ping', {})
    assert.deepEqual(slept, [], 'held 0 ms: no sleep at all')
  })

  test('a partition that begins while a call is held cuts the call off too', async () => {
    const { inner, faults, transport } = setup({ delayMs: 10 })
    const pending = transport.call(a, 'ping', {})
    faults.update({ blocked: [peerAddress(a)] })
    assert.equal((await rejection(pending)).code, 'PEER_UNREACHABLE')
    assert.equal(inner.calls.length, 0)
  })

  test('calls to the node itself are no node-to-node calls: never held, lost or blocked', async () => {
    const { inner, transport, slept } = setup({ delayMs: 50, dropRate: 1, blocked: [peerAddress(self)] })
    await transport.call(self, 'ping', {})
    assert.equal(inner.calls.length, 1)
    assert.deepEqual(slept, [])
  })

  test('clear: once the plan is cleared, calls pass straight on again', async () => {
    const { inner, faults, transport, slept } = setup({ delayMs: 40, blocked: [peerAddress(a)] })
    await rejection(transport.call(a, 'ping', {}))
    faults.clear()
    await transport.call(a, 'ping', {})
    assert.deepEqual(slept, [])
    assert.equal(inner.calls.length, 1)
  })

  test('the peer\'s own answers and refusals pass through unchanged', async () => {
    const { inner, transport } = setup({ delayMs: 5 })
    inner.on('join', () => {
      throw new DhtError('ID_TAKEN', 'taken')
    })
    assert.equal((await rejection(transport.call(a, 'join', { joiner: b }))).code, 'ID_TAKEN')
    inner.down(b, 'PEER_TIMEOUT')
    assert.equal((await rejection(transport.call(b, 'ping', {}))).code, 'PEER_TIMEOUT')
  })

  test('under the tracing wrapper: a delayed message lasts its delay, a lost one is logged as PEER_TIMEOUT after the timeout', async () => {
    const space = new IdSpace(8)
    const wire = new Wire(space)
    const { slept, clock, sleep } = fakeSleep()
    const inner = new ScriptedTransport()
    let drop = false
    const faults = new Faults({ plan: { delayMs: 25, dropRate: 0.5 }, random: () => (drop ? 0 : 0.9), sleep })
    const log = new MessageLog(100)
    const tracer = new Tracer(wire.peer(self), log, () => clock.now)
    const transport = new TracingTransport(new FaultTransport(inner, faults, { timeoutMs: TIMEOUT_MS, self }), tracer, wire)
    await transport.call(a, 'ping', {})
    drop = true
    await rejection(transport.call(b, 'ping', {}))
    const [delayed, lost] = log.since(-1)
    assert.equal(delayed?.durationMs, 25)
    assert.equal(delayed?.status, 200)
    assert.equal(lost?.error, 'PEER_TIMEOUT')
    assert.equal(lost?.status, null, 'no answer came')
    assert.equal(lost?.durationMs, TIMEOUT_MS)
    assert.match(lost?.summary ?? '', /PEER_TIMEOUT/)
    assert.deepEqual(slept, [25, TIMEOUT_MS])
  })
})

describe('the slow node', () => {
  const request = (path: string): IncomingRequest => ({ method: 'GET', path, query: new URLSearchParams(), headers: {}, readBody: async () => undefined })

  test('every request waits slowMs before it is handled; the fault routes never wait', async () => {
    const { slept, clock, sleep } = fakeSleep()
    const faults = new Faults({ sleep })
    const handledAt: number[] = []
    const dispatch = slowDispatch(faults)(async () => {
      handledAt.push(clock.now)
      return { body: null }
    })
    await dispatch(request('/nodeinfo'))
    assert.deepEqual(slept, [], 'not slow: no wait')
    faults.update({ slowMs: 200 })
    await dispatch(request('/lookup'))
    await dispatch(request(FAULTS_PATH))
    assert.deepEqual(slept, [200])
    assert.deepEqual(handledAt, [0, 200, 200])
  })
})

describe('RingClient and the fault routes', () => {
  const at = { host: '127.0.0.1', port: 5000 }
  /** A client whose requests are recorded and answered with `reply`. */
  const answering = (reply: unknown) => {
    const sent: Array<{ method: string; path: string; body: unknown }> = []
    const client = new RingClient(8)
    client.http.request = async (_to, method, path, body) => {
      sent.push({ method, path, body })
      return reply
    }
    return { client, sent }
  }

  test('faults, setFaults and clearFaults speak GET, PUT and DELETE /faults and read the plan back', async () => {
    const plan = planOf({ delayMs: 25, blocked: ['127.0.0.1:5001'] })
    const { client, sent } = answering(plan)
    assert.deepEqual(await client.faults(at), plan)
    assert.deepEqual(await client.setFaults(at, plan), plan)
    assert.deepEqual(await client.clearFaults(at), plan)
    assert.deepEqual(sent, [
      { method: 'GET', path: '/faults', body: undefined },
      { method: 'PUT', path: '/faults', body: plan },
      { method: 'DELETE', path: '/faults', body: undefined },
    ])
  })

  test('a node answering with something that is no plan is a BAD_REPLY naming the field', async () => {
    await assert.rejects(answering({ dropRate: 3 }).client.faults(at), (error: unknown) => isToolError(error, 'BAD_REPLY') && /faults\.dropRate must be a number from 0 to 1/.test(error.message))
    await assert.rejects(answering('healthy').client.faults(at), (error: unknown) => isToolError(error, 'BAD_REPLY') && /faults must be a JSON object/.test(error.message))
  })
})

describe('partitionPlan', () => {
  const ring = ['h:1', 'h:2', 'h:3', 'h:4', 'h:5']

  test('each side blocks the other, so neither direction gets through; no node blocks its own side', () => {
    const plan = partitionPlan(ring, ['h:2', 'h:4'])
    assert.deepEqual(plan.get('h:2'), ['h:1', 'h:3', 'h:5'])
    assert.deepEqual(plan.get('h:4'), ['h:1', 'h:3', 'h:5'])
    for (const other of ['h:1', 'h:3', 'h:5']) assert.deepEqual(plan.get(other), ['h:2', 'h:4'])
    for (const [from, blocked] of plan) {
      for (const to of ring) if (to !== from) assert.equal(blocked.includes(to), plan.get(to)!.includes(from), `${from} and ${to} block each other or neither does`)
    }
  })

  test('an empty side, the whole ring and a stranger are refused', () => {
    const refused = (side: string[], message: RegExp) => assert.throws(() => partitionPlan(ring, side), (error: unknown) => isToolError(error, 'BAD_ARGUMENT') && message.test(error.message))
    refused([], /this side is empty/)
    refused([...ring], /all 5 nodes of the ring/)
    refused(['h:1', 'h:9'], /^h:9 is not in the ring$/)
  })
})

describe('make partition: PORTS against the ring\'s nodes', () => {
  const node = (host: string, port: number): FaultNode => ({ id: `${host}-${port}`, host, port, address: `${host}:${port}` })
  const ring = [node('10.0.0.1', 5000), node('10.0.0.1', 5001), node('10.0.0.2', 5001), node('10.0.0.2', 5002)]
  const refused = (ports: string, message: RegExp) => assert.throws(() => partitionSide(ring, ports), (error: unknown) => isToolError(error, 'BAD_ARGUMENT') && message.test(error.message))

  test('nodes named by port, or by host:port where a port repeats across machines', () => {
    assert.deepEqual(partitionSide(ring, '5000,5002').map((n) => n.address), ['10.0.0.1:5000', '10.0.0.2:5002'])
    assert.deepEqual(partitionSide(ring, '10.0.0.2:5001,5000,5000').map((n) => n.address), ['10.0.0.2:5001', '10.0.0.1:5000'])
  })

  test('refused by name: a stranger, an ambiguous port, the whole ring', () => {
    refused('5000,6000', /^PORTS: 6000 is not a node of the ring; its nodes: 10\.0\.0\.1:5000 10\.0\.0\.1:5001 10\.0\.0\.2:5001 10\.0\.0\.2:5002$/)
    refused('5001', /^PORTS: port 5001 is used on several machines \(10\.0\.0\.1:5001, 10\.0\.0\.2:5001\); name the node as host:port$/)
    refused('5000,10.0.0.1:5001,10.0.0.2:5001,5002', /^PORTS: a partition needs at least one node on each side; these are all 4 nodes of the ring$/)
  })
})
