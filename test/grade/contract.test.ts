// Part 1's replies held to the OpenAPI document: what a reply lacks is named by its field, an error's
// code must be a capitalised word, and a route the document does not declare is left to the checks.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { contractProblems } from '../../src/workbench/grade/contract.js'
import type { Exchange } from '../../src/workbench/grade/probe.js'

const to = { host: '127.0.0.1', port: 5000 }
const peer = { id: 'ab'.repeat(20), host: '127.0.0.1', port: 5001 }
const reply = (method: string, path: string, status: number, json: unknown): Exchange => ({ method, path, to, status, json, text: JSON.stringify(json), ms: 1 })

test('a GET /successor and a PUT /predecessor reply match their declared shapes', () => {
  assert.deepEqual(contractProblems(reply('GET', '/successor', 200, { successor: peer })), [])
  assert.deepEqual(contractProblems(reply('PUT', '/predecessor', 200, { predecessor: null })), [])
  assert.match(contractProblems(reply('GET', '/successor', 200, { next: peer })).join(), /body\.successor: required/)
  assert.match(contractProblems(reply('GET', '/successor', 200, { successor: { ...peer, port: '5001' } })).join(), /body\.successor\.port: expected integer/)
})

test('a /nodeinfo without the fields the document requires is named field by field', () => {
  const problems = contractProblems(reply('GET', '/nodeinfo', 200, { ...peer, successor: peer, predecessor: null }))
  for (const field of ['status', 'successors', 'fingers', 'keys', 'values', 'bits', 'replicas', 'routeMode']) {
    assert.ok(problems.includes(`body.${field}: required`), `${field} named in ${problems.join('; ')}`)
  }
})

test('errors are { error, code } with the code in capitals; undeclared routes and non-JSON bodies are left alone', () => {
  assert.deepEqual(contractProblems(reply('GET', '/nope', 404, { error: 'no route', code: 'UNKNOWN_ROUTE' })), [])
  assert.match(contractProblems(reply('GET', '/nope', 404, { error: 'no route', code: 'unknown route' })).join(), /body\.code: does not match/)
  assert.deepEqual(contractProblems(reply('GET', '/not-declared', 200, { anything: 1 })), [])
  assert.deepEqual(contractProblems({ method: 'GET', path: '/nodeinfo', to, status: 200, text: '<html>', ms: 1 }), [])
})
