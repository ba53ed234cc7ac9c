// The model checker's network (src/workbench/modelcheck/network.ts): a call waits in flight until the
// checker delivers it, the answer travels back as a message of its own, a lost message times its
// caller out, and a crashed node answers nothing (its callers time out, answers to it are dropped). Each
// message is logged as the tracer's message, timed in steps.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { RpcName } from '../../src/node/api/rpcs.js'
import { RemotePeer } from '../../src/node/api/transport.js'
import type { Peer } from '../../src/node/protocol/types.js'
import { IdSpace } from '../../src/node/ring.js'
import { Wire } from '../../src/node/wire.js'
import { ControlledNetwork, type Receiver } from '../../src/workbench/modelcheck/network.js'
import { TraceRecord } from '../../src/workbench/modelcheck/trace-record.js'

const peer = (port: number): Peer => ({ id: BigInt(port - 5000), host: '127.0.0.1', port })
const [A, B, C] = [peer(5001), peer(5002), peer(5003)]
const turn = () => new Promise<void>((resolve) => setImmediate(resolve))

/** A ring of receivers: B's ping asks C first, the others answer at once. */
function network() {
  const trace = new TraceRecord({ recording: true })
  const net = new ControlledNetwork(trace, new Wire(new IdSpace(6)))
  const handled: string[] = []
  const receiver = (self: Peer): Receiver => ({
    answers: () => true,
    async handle(rpc: RpcName, _request: unknown, scope) {
      handled.push(`${rpc}@${self.port}`)
      if (self === B) await new RemotePeer(net.endpoint(B, scope), C).ping()
      return undefined
    },
  })
  for (const p of [A, B, C]) net.add(p, receiver(p))
  return { net, trace, handled, from: (p: Peer, to: Peer) => new RemotePeer(net.endpoint(p), to) }
}

test('a call waits in flight until delivered; its answer travels back as a message of its own', async () => {
  const { net, handled, from } = network()
  let answered = false
  void from(A, C).ping().then(() => (answered = true))
  await turn()
  assert.deepEqual(net.inFlight.map((f) => `${f.kind} ${f.caller.port}→${f.callee.port} ${f.rpc}`), ['request 5001→5003 ping'])
  assert.deepEqual(handled, [])
  net.deliver(net.inFlight[0]!)
  await turn()
  assert.deepEqual(handled, ['ping@5003'])
  assert.equal(answered, false)
  assert.deepEqual(net.inFlight.map((f) => f.kind), ['reply'])
  net.deliver(net.inFlight[0]!)
  await turn()
  assert.equal(answered, true)
  assert.deepEqual(net.inFlight, [])
})

test('a lost message times its caller out; the handler of a lost request never runs', async () => {
  const { net, handled, from } = network()
  const outcome = from(A, C).ping().then(() => 'answered', (error: { code: string }) => error.code)
  await turn()
  net.lose(net.inFlight[0]!)
  assert.equal(await outcome, 'PEER_TIMEOUT')
  assert.deepEqual(handled, [])
})

test('a crashed node answers nothing: callers of its handlers time out, answers to it are dropped', async () => {
  const { net, from } = network()
  const outcome = from(A, B).ping().then(() => 'answered', (error: { code: string }) => error.code)
  await turn()
  net.deliver(net.inFlight[0]!) // B handles it, and waits on its own call to C
  await turn()
  assert.deepEqual(net.handling.map((f) => `${f.rpc}@${f.callee.port}`), ['ping@5002'])
  net.crash(B)
  // B's call to C is still on its way; A's timeout comes back as an answer in flight.
  assert.deepEqual(net.inFlight.map((f) => `${f.kind} ${f.caller.port}→${f.callee.port}`).sort(), ['reply 5001→5002', 'request 5002→5003'])
  net.deliver(net.inFlight.find((f) => f.kind === 'reply')!)
  assert.equal(await outcome, 'PEER_UNREACHABLE')
  net.deliver(net.inFlight[0]!) // C answers B, which is dead: the answer is dropped
  await turn()
  assert.deepEqual(net.inFlight, [])
  const late = from(A, B).ping().then(() => 'answered', (error: { code: string }) => error.code)
  await turn()
  net.deliver(net.inFlight[0]!)
  assert.equal(await late, 'PEER_UNREACHABLE')
})

test('each message is logged with its parent, drawn at the step its receiver handled it', async () => {
  const { net, trace, from } = network()
  net.step = 1
  void from(A, B).ping().catch(() => undefined)
  await turn()
  for (const step of [2, 3, 4, 5]) {
    net.step = step
    net.deliver(net.inFlight[0]!)
    await turn()
  }
  const messages = trace.messages()
  assert.deepEqual(messages.map((m) => `${m.from?.port}→${m.to?.port} ${m.path} ${m.status}`), ['5001→5002 /ping 200', '5002→5003 /ping 200'])
  const [outer, inner] = messages
  assert.equal(inner!.parentId, outer!.spanId)
  assert.equal(outer!.durationMs, 3)
  assert.match(outer!.summary, /ping: alive \(sent 1, answered 5\)/)
})
