// The fault settings in the table and what is derived from them: DELAY_MS and JITTER_MS as ring
// settings (Make arguments of make boot, node flags), the targets' MS, RATE (the fraction kind) and
// PORTS, each refused by name, and their lines in make help.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { MakeArguments } from '../../src/tools/args.js'
import { settingsHelp } from '../../src/workbench/terminal/settings-help.js'
import { isToolError } from '../../src/node/errors.js'
import { nodeFlagArguments, parseNodeFlags, ringSettingsOf } from '../../src/node/flags.js'
import { defaultRingSettings, parseSettingText, RING_SETTING_NAMES } from '../../src/node/settings.js'

function refused(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(isToolError(error, 'BAD_ARGUMENT'), `expected BAD_ARGUMENT, got ${String(error)}`)
    assert.match(error.message, message)
    return true
  })
}

const args = (variables: Record<string, string>) => new MakeArguments(variables)

describe('fault settings', () => {
  test('DELAY_MS and JITTER_MS are ring settings, 0 by default, given to every node as flags', () => {
    assert.ok(RING_SETTING_NAMES.includes('delayMs') && RING_SETTING_NAMES.includes('jitterMs'))
    assert.equal(defaultRingSettings().delayMs, 0)
    assert.equal(defaultRingSettings().jitterMs, 0)
    const settings = args({ DELAY_MS: '25', JITTER_MS: '5' }).ringSettings(defaultRingSettings())
    assert.equal(settings.delayMs, 25)
    assert.equal(settings.jitterMs, 5)
    const flags = nodeFlagArguments({ ...settings, host: '127.0.0.1', port: 0 })
    assert.ok(flags.includes('--delay-ms=25') && flags.includes('--jitter-ms=5'))
    assert.deepEqual(ringSettingsOf(parseNodeFlags(flags)), settings)
    refused(() => args({ DELAY_MS: '-5' }).ringSettings(defaultRingSettings()), /^DELAY_MS must be a whole number from 0 to 60000, got "-5"$/)
    refused(() => parseNodeFlags(['--jitter-ms=70000']), /^--jitter-ms must be from 0 to 60000, got 70000$/)
  })

  test('RATE is a fraction from 0 to 1', () => {
    for (const [text, value] of [['0.1', 0.1], ['.5', 0.5], ['1', 1], ['0', 0], ['0.25 ', 0.25]] as const) {
      assert.equal(args({ RATE: text }).required('dropRate', 'make drop RATE=0.1'), value, text)
    }
    refused(() => args({}).required('dropRate', 'make drop RATE=0.1'), /^RATE is required, e.g. make drop RATE=0.1$/)
    refused(() => args({ RATE: 'often' }).given('dropRate'), /^RATE must be a number from 0 to 1, like 0.1, got "often"$/)
    refused(() => args({ RATE: '1.5' }).given('dropRate'), /^RATE must be from 0 to 1, got 1.5$/)
    refused(() => args({ RATE: '-0.1' }).given('dropRate'), /^RATE must be a number/)
    refused(() => args({ RATE: '1e-2' }).given('dropRate'), /^RATE must be a number/)
    refused(() => parseSettingText('dropRate', '10%', 'RATE'), /^RATE must be a number/)
  })

  test('MS has a default and bounds; PORTS is a list of ports or host:port', () => {
    assert.equal(args({}).integer('slowMs'), 200)
    assert.equal(args({ MS: '0' }).integer('slowMs'), 0)
    refused(() => args({ MS: 'slow' }).integer('slowMs'), /^MS must be a whole number from 0 to 60000, got "slow"$/)
    assert.equal(args({ PORTS: '5001,5002,10.0.0.2:5003' }).given('partitionPorts'), '5001,5002,10.0.0.2:5003')
    for (const bad of ['5001,', ',5001', '5001 5002', 'abc', '5001;5002']) {
      refused(() => args({ PORTS: bad }).given('partitionPorts'), /^PORTS must be ports of the ring separated by commas/)
    }
  })

  test('make help lists them with their ranges and targets', () => {
    // Wrapped lines joined again: what is checked is the words, not where a line breaks.
    const help = settingsHelp().join(' ').replace(/\s+/g, ' ')
    assert.match(help, / DELAY_MS=0 0 ms–1 min every call from one node to another/)
    assert.match(help, / JITTER_MS=0 0 ms–1 min each call's delay varies/)
    assert.match(help, / MS=200 0 ms–1 min how long the slow node holds each request it handles \(0: not slow\) \[slow\]/)
    assert.match(help, / RATE= 0–1 the chance that each node-to-node call is lost \(0: none\) \[drop\]/)
    assert.match(help, / PORTS= the nodes on one side of a partition; the rest of the ring is the other \[partition\]/)
    assert.match(help, /\[leave, crash, fingers, store, lookup, delete, slow\]/)
  })
})
