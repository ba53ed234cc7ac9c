// The node command template: split like a shell (quotes group, nothing expands), placeholders filled,
// an empty {join} leaving no trace, and templates the grader cannot use refused by name.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { isToolError } from '../../src/node/errors.js'
import { checkTemplate, commandWords, defaultTemplate, nodeArgv } from '../../src/workbench/grade/command.js'
import { chosenLevels } from '../../src/workbench/grade/levels.js'

const values = { host: '127.0.0.1', port: '40123', join: '127.0.0.1:40001', secret: '/tmp/g/secret' }
const first = { ...values, join: '' }

describe('the node command template', () => {
  test('words split on whitespace; quotes and backslashes group', () => {
    assert.deepEqual(commandWords(`python3 'my dir/node.py'  --name "a b" c\\ d`), ['python3', 'my dir/node.py', '--name', 'a b', 'c d'])
    assert.deepEqual(commandWords(`sh -c 'echo $$; exec node x.js --port={port}'`), ['sh', '-c', 'echo $$; exec node x.js --port={port}'])
    assert.deepEqual(commandWords(`x ''`), ['x', ''])
  })

  test('placeholders are filled in every word, inside quotes too', () => {
    assert.deepEqual(nodeArgv('node n.js --host {host} --port={port} --join {join} --secret-file {secret}', values), [
      'node', 'n.js', '--host', '127.0.0.1', '--port=40123', '--join', '127.0.0.1:40001', '--secret-file', '/tmp/g/secret',
    ])
    assert.deepEqual(nodeArgv(`sh -c 'exec n --port={port}'`, values), ['sh', '-c', 'exec n --port=40123'])
  })

  test('an empty {join} leaves nothing behind: not the word, not its flag', () => {
    assert.deepEqual(nodeArgv('n --join {join} --port {port}', first), ['n', '--port', '40123'])
    assert.deepEqual(nodeArgv('n --join={join} --port={port}', first), ['n', '--port=40123'])
    assert.deepEqual(nodeArgv('n {port} {join}', first), ['n', '40123'])
    // Inside a longer word it is simply empty.
    assert.deepEqual(nodeArgv('n --port={port} join={join}x', first), ['n', '--port=40123', 'join=x'])
  })

  test('a template without {port}, with an unknown placeholder or an open quote is refused by name', () => {
    const refused = (template: string, message: RegExp) =>
      assert.throws(() => checkTemplate(template), (error: unknown) => isToolError(error, 'BAD_ARGUMENT') && message.test(error.message))
    refused('python3 node.py --host {host}', /\{port\}/)
    refused('python3 node.py --port {port} --peer {peer}', /\{peer\}/)
    refused(`python3 'node.py --port {port}`, /unclosed/)
    refused('   ', /empty/)
    checkTemplate('python3 node.py --port {port}')
  })

  test('the default templates start this project\'s node and the lab node with every placeholder', () => {
    for (const impl of ['full', 'lab'] as const) {
      const template = defaultTemplate(impl, '/')
      checkTemplate(template)
      for (const name of ['{host}', '{port}', '{join}', '{secret}']) assert.ok(template.includes(name), `${impl}: ${template} has ${name}`)
    }
    assert.match(defaultTemplate('full', '/'), /node\/main\.js/)
    assert.match(defaultTemplate('lab', '/'), /lab\/lab-node\.js/)
  })
})

describe('choosing levels and tests', () => {
  test('LEVELS in any order gives the handout\'s order, each once', () => {
    assert.deepEqual(chosenLevels('beyond,1,3,1').map((l) => l.key), ['1', '3', 'beyond'])
  })

  test('TESTS keeps only those tests; an id no chosen level has is refused, naming the ones there are', () => {
    const levels = chosenLevels('1,2,3,bonus,beyond', '2.join,bonus.leave')
    assert.deepEqual(levels.map((l) => [l.key, l.tests.map((t) => t.id)]), [['2', ['2.join']], ['bonus', ['bonus.leave']]])
    assert.throws(() => chosenLevels('1', '2.join'), (error: unknown) => isToolError(error, 'BAD_ARGUMENT') && /1\.nodeinfo/.test(error.message))
  })

  test('every test id is unique, and the points of all levels add up to 100', () => {
    const tests = chosenLevels('1,2,3,bonus,beyond').flatMap((l) => l.tests)
    assert.equal(new Set(tests.map((t) => t.id)).size, tests.length)
    assert.equal(tests.reduce((sum, t) => sum + t.points, 0), 100)
  })
})
