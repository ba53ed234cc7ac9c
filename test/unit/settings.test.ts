// The settings table and what is derived from it: node flags (parsed and written back), Make arguments
// refused by name, the protocol's NodeConfig, the tools' environment and the settings part of make help.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { MakeArguments } from '../../src/tools/args.js'
import { toolEnvironment } from '../../src/tools/environment.js'
import { settingsHelp } from '../../src/workbench/terminal/settings-help.js'
import { DEFAULTS, defaultNodeConfig, nodeConfigFrom } from '../../src/node/config.js'
import { isToolError } from '../../src/node/errors.js'
import { FLAG_SETTING_NAMES, nodeFlagArguments, parseNodeFlags, ringSettingsOf, type NodeFlags } from '../../src/node/flags.js'
import { defaultRingSettings, RING_SETTING_NAMES, SETTINGS, settingNames, type Setting } from '../../src/node/settings.js'

/** Asserts that fn throws a BAD_ARGUMENT ToolError whose message matches. */
function refused(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(isToolError(error, 'BAD_ARGUMENT'), `expected BAD_ARGUMENT, got ${String(error)}`)
    assert.match(error.message, message)
    return true
  })
}

describe('the settings table', () => {
  test('every ring setting has a Make variable, a node flag and a default, so boot, spawn and the state file all carry it', () => {
    for (const name of RING_SETTING_NAMES) {
      const entry: Setting = SETTINGS[name]
      assert.ok(entry.make, `${name} has a Make variable`)
      assert.ok(entry.flag, `${name} has a node flag`)
      assert.ok('default' in entry && entry.default !== undefined, `${name} has a default`)
    }
  })

  test('Make variables and node flags are each used once', () => {
    const makes = settingNames((s) => s.make !== undefined).map((n) => (SETTINGS[n] as Setting).make)
    const flags = settingNames((s) => s.flag !== undefined).map((n) => (SETTINGS[n] as Setting).flag)
    assert.equal(new Set(makes).size, makes.length)
    assert.equal(new Set(flags).size, flags.length)
  })

  test('check_predecessor and the peer timeout are ring settings of their own', () => {
    assert.equal(SETTINGS.checkPredecessorMs.make, 'CHECK_PREDECESSOR_MS')
    assert.equal(SETTINGS.checkPredecessorMs.default, SETTINGS.stabilizeMs.default)
    assert.equal(SETTINGS.timeoutMs.make, 'TIMEOUT_MS')
    assert.ok(RING_SETTING_NAMES.includes('timeoutMs'))
  })

  test('the defaults the servers and the protocol use are the table\'s', () => {
    const ring = defaultRingSettings()
    assert.equal(DEFAULTS.bits, ring.bits)
    assert.equal(DEFAULTS.requestTimeoutMs, ring.timeoutMs)
    assert.equal(DEFAULTS.maxBodyBytes, ring.maxBodyBytes)
    assert.deepEqual(nodeConfigFrom(ring), defaultNodeConfig())
  })

  test('the node\'s check_predecessor period comes from CHECK_PREDECESSOR_MS, not from the stabilize period', () => {
    const config = nodeConfigFrom({ ...defaultRingSettings(), stabilizeMs: 200, checkPredecessorMs: 700, fingerMs: 900 })
    assert.equal(config.stabilizeIntervalMs, 200)
    assert.equal(config.checkPredecessorIntervalMs, 700)
    assert.equal(config.fingerIntervalMs, 900)
  })
})

describe('node flags', () => {
  test('no flags: every setting at its default', () => {
    const flags = parseNodeFlags([])
    assert.deepEqual(ringSettingsOf(flags), defaultRingSettings())
    assert.equal(flags.host, SETTINGS.host.default)
    assert.equal(flags.port, 0)
    assert.equal(flags.join, undefined)
  })

  test('--flag=value and --flag value both read, checked by their settings', () => {
    const flags = parseNodeFlags(['--bits=8', '--mode', 'linear', '--check-predecessor-ms=250', '--timeout-ms', '500', '--join=10.0.0.1:5000'])
    assert.equal(flags.bits, 8)
    assert.equal(flags.routeMode, 'linear')
    assert.equal(flags.checkPredecessorMs, 250)
    assert.equal(flags.timeoutMs, 500)
    assert.deepEqual(flags.join, { host: '10.0.0.1', port: 5000 })
  })

  test('a bad value is refused naming the flag; an unknown mode is not taken for fingers', () => {
    refused(() => parseNodeFlags(['--bits=0']), /^--bits must be from 1 to 160, got 0$/)
    refused(() => parseNodeFlags(['--replicas=three']), /^--replicas must be a whole number from 1 to 16, got "three"$/)
    refused(() => parseNodeFlags(['--mode=finger']), /^--mode must be fingers, linear or onehop, got "finger"$/)
    refused(() => parseNodeFlags(['--join=nowhere']), /^--join must be host:port/)
    refused(() => parseNodeFlags(['--host=bad host']), /^--host must be a host name or address/)
    refused(() => parseNodeFlags(['--no-such-flag=1']), /no-such-flag/)
    refused(() => parseNodeFlags(['--metrics=maybe']), /^--metrics must be 1 or 0, got "maybe"$/)
    refused(() => parseNodeFlags(['--otlp-endpoint=https://collector:4318']), /^--otlp-endpoint must be an http:\/\/ URL/)
  })

  test('the arguments spawn writes read back as exactly the settings they were made from', () => {
    const flags: NodeFlags = {
      ...defaultRingSettings(),
      bits: 12,
      replicas: 5,
      routeMode: 'linear',
      stabilizeMs: 150,
      checkPredecessorMs: 450,
      fingerMs: 1500,
      timeoutMs: 800,
      maxValueBytes: 1000,
      maxBodyBytes: 4096,
      maxConnections: 64,
      metrics: false,
      host: '0.0.0.0',
      port: 5003,
      join: { host: 'node-a.example', port: 5000 },
      advertise: '10.0.0.2',
      secretFile: '/tmp/chord secret',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      otlpEndpoint: 'http://collector.example:4318/otlp',
    }
    const args = nodeFlagArguments(flags)
    assert.equal(args.length, FLAG_SETTING_NAMES.length, 'one argument per flag')
    assert.deepEqual(parseNodeFlags(args), flags)
    // Unset optional settings write no argument at all.
    assert.deepEqual(parseNodeFlags(nodeFlagArguments({ ...defaultRingSettings(), host: '127.0.0.1', port: 0 })), parseNodeFlags([]))
  })

  test('defaults given by the caller (HOST= in the node\'s environment) stand in for a missing flag only', () => {
    assert.equal(parseNodeFlags([], { host: '10.0.0.9' }).host, '10.0.0.9')
    assert.equal(parseNodeFlags(['--host=10.0.0.1'], { host: '10.0.0.9' }).host, '10.0.0.1')
  })
})

describe('Make arguments', () => {
  const args = (variables: Record<string, string>) => new MakeArguments(variables)

  test('each bad argument is refused with a message naming it', () => {
    refused(() => args({ M: 'abc' }).ringSettings(defaultRingSettings()), /^M must be a whole number from 1 to 160, got "abc"$/)
    refused(() => args({ R: '99' }).ringSettings(defaultRingSettings()), /^R must be from 1 to 16, got 99$/)
    refused(() => args({ MODE: 'fast' }).ringSettings(defaultRingSettings()), /^MODE must be fingers, linear or onehop, got "fast"$/)
    refused(() => args({ TIMEOUT_MS: '5' }).ringSettings(defaultRingSettings()), /^TIMEOUT_MS must be from 10 to 600000, got 5$/)
    refused(() => args({ JOIN: 'nowhere' }).given('join'), /^JOIN must be host:port, got "nowhere"$/)
    refused(() => args({ PARALLEL: 'maybe' }).switch('parallel'), /^PARALLEL must be 1 or 0, got "maybe"$/)
    refused(() => args({ PORT: '99999' }).given('targetPort'), /^PORT must be from 1 to 65535, got 99999$/)
    refused(() => args({}).required('value', 'make store V=hello'), /^V is required, e.g. make store V=hello$/)
  })

  test('ring settings: the given ones over the base, the rest kept; an empty argument is no argument', () => {
    const base = { ...defaultRingSettings(), stabilizeMs: 123 }
    const settings = args({ M: '8', R: '1', MODE: 'linear', CHECK_PREDECESSOR_MS: '300', TIMEOUT_MS: '900', FINGER_MS: '' }).ringSettings(base)
    assert.deepEqual(settings, { ...base, bits: 8, replicas: 1, routeMode: 'linear', checkPredecessorMs: 300, timeoutMs: 900 })
  })

  test('N= has each target\'s own default and bound', () => {
    assert.equal(args({}).integer('count', 'add'), 1)
    assert.equal(args({}).integer('count', 'addmany'), 10)
    assert.equal(args({}).integer('count', 'storemany'), 100)
    refused(() => args({ N: '600' }).integer('count', 'addmany'), /^N must be from 1 to 500, got 600$/)
    assert.equal(args({ N: '600' }).integer('count', 'storemany'), 600)
    refused(() => args({ N: '0' }).integer('count', 'storemany'), /^N must be from 1/)
  })

  test('switches: 1, yes, true, on; 0, no, false, off or unset', () => {
    for (const on of ['1', 'yes', 'TRUE', 'on']) assert.equal(args({ ONCE: on }).switch('once'), true, on)
    for (const off of ['0', 'no', 'false', 'off', '']) assert.equal(args({ ONCE: off }).switch('once'), false, off)
    assert.equal(args({}).switch('once'), false)
  })
})

describe('the tools\' environment', () => {
  test('the state directory and this machine\'s placement come from the variables given', () => {
    const tool = toolEnvironment({ DHT_STATE_DIR: 'some/dir', HOST: '0.0.0.0', ADVERTISE: '10.0.0.1', DHT_BASE_PORT: '0', SECRET_FILE: '~/chord-secret', HOME: '/home/ada' })
    assert.equal(tool.stateDir, path.resolve('some/dir'))
    assert.deepEqual(tool.machine, { host: '0.0.0.0', advertise: '10.0.0.1', basePort: 0, secretFile: '/home/ada/chord-secret' })
  })

  test('defaults: ./state, 127.0.0.1, ports from 5000, no shared secret', () => {
    const tool = toolEnvironment({})
    assert.equal(tool.stateDir, path.resolve('state'))
    assert.deepEqual(tool.machine, { host: '127.0.0.1', basePort: 5000 })
  })

  test('a bad DHT_BASE_PORT is refused by name', () => {
    refused(() => toolEnvironment({ DHT_BASE_PORT: 'x' }), /^DHT_BASE_PORT must be a whole number/)
  })
})

describe('make help', () => {
  const help = settingsHelp()

  test('lists every Make variable with its default and its help line', () => {
    for (const name of settingNames((s) => s.make !== undefined)) {
      const entry: Setting = SETTINGS[name]
      const line = help.find((l) => l.trimStart().startsWith(`${entry.make}=`))
      assert.ok(line, `a line for ${entry.make}=`)
      const fallback = 'default' in entry ? entry.default : undefined
      // A switch's default is shown as it is written: METRICS=1.
      const shown = fallback === undefined ? `${entry.make}=` : `${entry.make}=${typeof fallback === 'boolean' ? Number(fallback) : fallback}`
      assert.ok(line.includes(shown), `${line} shows ${shown}`)
      const text = help.join(' ').replace(/\s+/g, ' ')
      assert.ok(text.includes(entry.help), `the help of ${entry.make}= appears: ${entry.help}`)
    }
  })

  test('says which values a choice takes, and keeps within 120 columns', () => {
    assert.ok(help.some((l) => l.includes('MODE=fingers') && l.includes("fingers, linear or onehop")))
    for (const line of help) assert.ok([...line].length <= 120, `too wide: ${line}`)
  })
})
