// Run inside a test host (ip netns exec …). PROBE_ACTION:
// - store / lookup: stores or looks up the values in PROBE_VALUES through this host's nodes and prints
//   one JSON line { ok, failed: [{ value, error }] }.
// - capture: stores PROBE_VALUES[0] through a proxy in front of one of this host's nodes that keeps an
//   exact copy of the request the tool sent (PROBE_HOLD=1: and passes nothing on); prints { target,
//   captured, stored }.
// - replay: sends PROBE_REQUEST (a captured request) to PROBE_TARGET (host:port) as it was, or with the
//   body PROBE_BODY; prints { status, text }.
// The test process itself cannot reach the hosts' addresses, so it asks this script to.
import { openStateFile } from '../../src/tools/environment.js'
import { openRing } from '../../src/tools/open-ring.js'
import { errorMessage } from '../../src/node/errors.js'
import { resend, startCaptureProxy, type CapturedRequest } from './capture-proxy.js'

const action = process.env.PROBE_ACTION
const values = JSON.parse(process.env.PROBE_VALUES ?? '[]') as string[]

if (action === 'replay') {
  const [host, port] = (process.env.PROBE_TARGET ?? '').split(':')
  const request = JSON.parse(process.env.PROBE_REQUEST ?? '{}') as CapturedRequest
  const body = process.env.PROBE_BODY
  console.log(JSON.stringify(await resend({ host: host!, port: Number(port) }, request, body === undefined ? {} : { body })))
} else {
  const ring = openRing(openStateFile())
  if (action === 'capture') {
    const target = ring.entry()
    const proxy = await startCaptureProxy(target, { hold: process.env.PROBE_HOLD === '1' })
    const stored = await ring.client.store(proxy.address, values[0]!).then(
      () => true,
      () => false,
    )
    await proxy.close()
    console.log(JSON.stringify({ target: { host: target.host, port: target.port }, captured: proxy.captured[0], stored }))
  } else {
    let ok = 0
    const failed: Array<{ value: string; error: string }> = []
    for (const value of values) {
      try {
        if (action === 'store') await ring.client.store(ring.entry(), value)
        else await ring.client.lookup(ring.entry(), value)
        ok++
      } catch (error) {
        failed.push({ value, error: errorMessage(error) })
      }
    }
    console.log(JSON.stringify({ ok, failed }))
  }
  ring.client.close()
}
