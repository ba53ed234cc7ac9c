// The tools as a newcomer meets them, on real processes: a second make boot says what it stopped, every
// command that starts nodes names the ports they got, make ports lists them for scripts, and a failure
// through make is one line a person reads, while the script itself exits with the code make help lists.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { EXIT_CODES } from '../../src/tools/exit-codes.js'
import { portList } from '../../src/tools/output.js'
import { runCaptured } from '../helpers/run-captured.js'
import { startTestnet } from '../helpers/testnet.js'
import { makeValues, storeAll } from './_support.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')

/** The lines a person reads: stdout and stderr, without blank ones. */
const linesOf = (output: { stdout: string; stderr: string }) => `${output.stdout}${output.stderr}`.split('\n').filter((l) => l.trim() !== '')

/**
 * `make <target>` in the repository, as a person types it, on the test's ring. The build is taken as it
 * is (-o): a make that decided to rebuild would remove dist/ under the running tests.
 */
function make(dir: string, args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, DHT_STATE_DIR: dir, NO_COLOR: '1' }
  // Not the make flags of a make that may be running these tests (its jobserver is not ours).
  for (const name of ['MAKEFLAGS', 'MFLAGS', 'MAKELEVEL']) delete env[name]
  return runCaptured('make', ['--no-print-directory', '-C', ROOT, '-o', 'dist/.build-stamp', '-o', 'node_modules/.install-stamp', ...args], env)
}

test('a second make boot says what it stopped; boot and make ports name the ports; killall says what it held', async (t) => {
  const net = await startTestnet(t, { nodes: 3 })
  const values = makeValues('newcomer', 5)
  await storeAll(net, values)
  const before = net.processes().map((p) => p.port)

  const boot = await net.runScript('boot')
  assert.equal(boot.code, 0, `${boot.stdout}${boot.stderr}`)
  assert.match(boot.stdout, new RegExp(`stopped the ring that was running: 3 nodes on ports ${portList(before)} holding 5 values`))
  const booted = net.processes().map((p) => p.port).sort((a, b) => a - b)
  assert.equal(booted.length, 2)
  assert.match(boot.stdout, new RegExp(`ring booted: 2 nodes on ports ${booted[0]}, ${booted[1]} \\(`), boot.stdout)

  const ports = await net.runScript('ports')
  assert.equal(ports.code, 0, ports.stderr)
  assert.equal(ports.stdout, booted.map((p) => `${p}\n`).join(''), 'one port per line, ascending, nothing else')

  const killall = await net.runScript('killall')
  assert.equal(killall.code, 0, killall.stderr)
  assert.match(killall.stdout, new RegExp(`stopped the ring: 2 nodes on ports ${booted[0]}, ${booted[1]} holding 0 values`))
  const none = await net.runScript('ports')
  assert.equal(none.code, EXIT_CODES.failed, 'no ring: make ports fails')
})

test('a failure through make is the script\'s one line; the script exits 1 for an absent value, 2 for a bad argument', async (t) => {
  const net = await startTestnet(t, { nodes: 3 })
  const absent = 'a value nobody stored'

  const viaMake = await make(net.dir, ['lookup', `V=${absent}`])
  assert.deepEqual(linesOf(viaMake).length, 1, `one line, no make: *** line:\n${linesOf(viaMake).join('\n')}`)
  assert.match(linesOf(viaMake)[0]!, /^✘ "a value nobody stored" is not stored/)
  // make cannot exit with the script's code: it is ended quietly (SIGPIPE, which the shell shows as 141).
  assert.equal(viaMake.signal, 'SIGPIPE', `make ended by SIGPIPE, got code ${viaMake.code} signal ${viaMake.signal}`)

  const script = await net.runScript('lookup', { V: absent })
  assert.equal(script.code, EXIT_CODES.failed, 'the script: 1 for an absent value')
  assert.equal(linesOf(script).length, 1)

  const ports = net.processes().map((p) => p.port)
  const leave = await make(net.dir, ['leave', 'PORT=1'])
  assert.equal(linesOf(leave).length, 1, linesOf(leave).join('\n'))
  assert.equal(linesOf(leave)[0], `✘ no node of this ring runs on port 1; its ports: ${portList(ports)}`, 'the ports sorted')
  assert.equal((await net.runScript('leave', { PORT: '1' })).code, EXIT_CODES.badArgument)
  assert.equal((await net.runScript('lookup', { V: 'x', PORT: 'abc' })).code, EXIT_CODES.badArgument)

  const found = await make(net.dir, ['lookup', 'V=stored for the newcomer test'])
  assert.notEqual(found.code, 0, 'not stored yet')
  assert.equal((await make(net.dir, ['store', 'V=stored for the newcomer test'])).code, 0)
  const again = await make(net.dir, ['lookup', 'V=stored for the newcomer test'])
  assert.equal(again.code, 0, linesOf(again).join('\n'))
  assert.match(linesOf(again)[0]!, /^✔ found "stored for the newcomer test"/)
})
