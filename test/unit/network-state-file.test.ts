// The network state read back from disk: ring settings checked by their settings (older files still
// read), every process record checked field by field, and anything else a STATE_CORRUPT naming the field.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { NetworkStateFile, parseNetworkState, type ProcessRecord } from '../../src/tools/network-state.js'
import { isToolError } from '../../src/node/errors.js'
import { IdSpace } from '../../src/node/ring.js'
import { defaultRingSettings } from '../../src/node/settings.js'

const space = new IdSpace(8)
const record = (port: number, extra: Partial<ProcessRecord> = {}): ProcessRecord => ({
  id: space.toHex(space.nodeId('127.0.0.1', port)),
  host: '127.0.0.1',
  port,
  pid: 4242,
  startedAt: '2026-11-25T10:00:00.000Z',
  ...extra,
})
const settings = { ...defaultRingSettings(), bits: 8 }

function corrupt(json: unknown, field: RegExp): void {
  assert.throws(
    () => parseNetworkState(json),
    (error: unknown) => {
      assert.ok(isToolError(error, 'STATE_CORRUPT'), `expected STATE_CORRUPT, got ${String(error)}`)
      assert.match(error.message, field)
      return true
    },
  )
}

describe('parseNetworkState', () => {
  test('a state the tools wrote reads back unchanged', () => {
    const state = { settings, processes: [record(5000), record(5001)] }
    assert.deepEqual(parseNetworkState(JSON.parse(JSON.stringify(state))), state)
  })

  test('settings a file from before lacks take their defaults', () => {
    const { checkPredecessorMs: _a, timeoutMs: _b, ...older } = settings
    assert.deepEqual(parseNetworkState({ settings: older, processes: [] }).settings, settings)
    assert.deepEqual(parseNetworkState({ processes: [] }).settings, defaultRingSettings())
  })

  test('a ring setting out of its range, or a mode that does not exist, is refused by name', () => {
    corrupt({ settings: { ...settings, routeMode: 'fingerz' }, processes: [] }, /settings\.routeMode must be fingers, linear or onehop, got "fingerz"/)
    corrupt({ settings: { ...settings, replicas: 0 }, processes: [] }, /settings\.replicas must be an integer from 1 to 16/)
    corrupt({ settings: { ...settings, stabilizeMs: '1000' }, processes: [] }, /settings\.stabilizeMs must be an integer/)
    corrupt({ settings: { ...settings, metrics: 'no' }, processes: [] }, /settings\.metrics must be true or false, got "no"/)
  })

  test('a switch is kept as true or false (METRICS=0 boots a ring that counts nothing)', () => {
    assert.equal(defaultRingSettings().metrics, true)
    assert.equal(parseNetworkState({ settings: { ...settings, metrics: false }, processes: [] }).settings.metrics, false)
  })

  test('every field of every process record is checked', () => {
    const cases: Array<[Partial<Record<keyof ProcessRecord, unknown>>, RegExp]> = [
      [{ port: 70000 }, /processes\[1\]\.port must be an integer from 1 to 65535/],
      [{ host: 'bad host/..' }, /processes\[1\]\.host/],
      [{ id: 'zz' }, /processes\[1\]\.id/],
      [{ id: record(5002).id }, /processes\[1\]\.id does not match the hash of 127\.0\.0\.1:5001/],
      [{ pid: 0 }, /processes\[1\]\.pid must be an integer from 1/],
      [{ pid: 1.5 }, /processes\[1\]\.pid/],
      [{ startedAt: 'yesterday' }, /processes\[1\]\.startedAt must be a date/],
      [{ startedAt: 17 as unknown as string }, /processes\[1\]\.startedAt must be a string/],
    ]
    for (const [change, message] of cases) {
      corrupt({ settings, processes: [record(5000), { ...record(5001), ...change }] }, message)
    }
    const { id: _id, ...noId } = record(5001)
    corrupt({ settings, processes: [record(5000), noId] }, /processes\[1\]\.id is missing/)
  })

  test('not a state at all', () => {
    corrupt(null, /must be a JSON object/)
    corrupt({ settings }, /processes must be an array/)
    corrupt({ settings, processes: {} }, /processes must be an array/)
    corrupt({ settings, processes: ['x'] }, /processes\[0\] must be a JSON object/)
  })
})

describe('NetworkStateFile', () => {
  test('read() names the file, why it is corrupt and how to rebuild it', (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chord-state-'))
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }))
    const file = new NetworkStateFile(dir)
    assert.equal(file.read(), undefined, 'no file: no ring')
    fs.writeFileSync(file.file, JSON.stringify({ settings, processes: [record(5000, { pid: -3 })] }))
    assert.throws(
      () => file.read(),
      (error: unknown) => {
        assert.ok(isToolError(error, 'STATE_CORRUPT'))
        assert.match(error.message, new RegExp(`${file.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is corrupt \\(processes\\[0\\]\\.pid .*\\); make recover rebuilds it`))
        return true
      },
    )
    fs.writeFileSync(file.file, JSON.stringify({ settings, processes: [] }))
    assert.throws(() => file.requireRing(), (error: unknown) => isToolError(error, 'NO_RING'))
  })

  test('a state file that is told nothing places nodes on 127.0.0.1 and ports the OS chooses', () => {
    const file = new NetworkStateFile('/tmp/nowhere-in-particular')
    assert.deepEqual(file.machine, { host: '127.0.0.1', basePort: 0 })
    assert.equal(file.secretFile, path.join('/tmp/nowhere-in-particular', 'secret'))
    const shared = new NetworkStateFile('/tmp/x', { host: '10.0.0.2', secretFile: 'rel/secret' })
    assert.equal(shared.secretFile, path.resolve('rel/secret'))
    assert.equal(shared.machine.host, '10.0.0.2')
  })
})
