// The starter kit: derived from the lab node by its markers (every step found, each body replaced, the
// rest of the file untouched), written by make starter (which never overwrites), and the untouched kit
// runs: Part 1 answers, the steps answer 501 NOT_IMPLEMENTED naming themselves, a JOIN cannot start.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { markedBodies, starterSource, STEPS } from '../../src/lab/starter-kit.js'
import { runCaptured } from '../helpers/run-captured.js'
import { request, runToExit, startStandalone } from './_standalone.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const SOURCE = fs.readFileSync(path.join(ROOT, 'src/lab/lab-node.ts'), 'utf8')

test('every step of the handout is marked once in lab-node.ts, and only the marked bodies change', () => {
  const bodies = markedBodies(SOURCE)
  assert.deepEqual(bodies.map((b) => b.step.name).sort(), STEPS.map((s) => s.name).sort())
  const starter = starterSource(SOURCE)
  assert.doesNotMatch(starter, /^\s*\/\/ STUDENT \w+ \{$/m, 'no marker is left')
  assert.equal(starter.match(/throw new LabError\(501, 'NOT_IMPLEMENTED'/g)?.length, STEPS.length, 'one TODO per step')
  for (const step of STEPS) assert.match(starter, new RegExp(`"${step.name} is not implemented yet \\(step \\d+ of HANDOUT.md`), step.name)
  // Outside the markers, the starter is the lab node line for line.
  const lines = SOURCE.split('\n')
  const kept = lines.filter((_, i) => !bodies.some((b) => i >= b.open && i <= b.close))
  const starterKept = starter.split('\n').filter((line) => !/^\s*(\/\/ TODO step|throw new LabError\(501, 'NOT_IMPLEMENTED')/.test(line))
  assert.deepEqual(starterKept, kept)
})

test('markers that do not match the steps are refused, naming the problem', () => {
  const findNode = '  // STUDENT findNode {'
  assert.throws(() => markedBodies(SOURCE.replace(findNode, '  // STUDENT findNod {')), /unknown student step "findNod"/)
  assert.throws(() => markedBodies(SOURCE.replace(findNode, '  // STUDENT lookup {')), /"lookup" must mark the body of lookupValue, not of findNode/)
  assert.throws(() => markedBodies(SOURCE.replace('  // STUDENT join {', '  // STUDENT findNode {')), /"findNode" is marked twice/)
  assert.throws(() => markedBodies(SOURCE.replace(findNode, '')), /no marked body for findNode/)
  assert.throws(() => markedBodies(`${SOURCE}\nfunction x() {\n  // STUDENT extra {\n}\n`), /unknown student step "extra"/)
  const lines = SOURCE.split('\n')
  const open = lines.indexOf(findNode)
  lines.splice(lines.findIndex((line, i) => i > open && line === '  // }'), 1, '  // end')
  assert.throws(() => markedBodies(lines.join('\n')), /step "findNode" has no closing "  \/\/ }" before line/)
  assert.throws(() => starterSource(SOURCE.replace('class LabError', 'class OtherError')), /no LabError class/)
})

test('make starter writes a kit that type-checks and runs: Part 1 answers, the rest 501 NOT_IMPLEMENTED', async (t) => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'chord-lab-starter-'))
  t.after(() => fs.rmSync(parent, { recursive: true, force: true }))
  const dir = path.join(parent, 'kit')
  const script = path.join(ROOT, 'dist/scripts/starter.js')
  const env = { ...process.env, NO_COLOR: '1', DIR: dir }
  const made = await runCaptured(process.execPath, [script], env)
  assert.equal(made.code, 0, made.stdout + made.stderr)
  assert.deepEqual(fs.readdirSync(dir).sort(), ['HANDOUT.md', 'lab-node.ts', 'package.json', 'tsconfig.json'])
  const handout = fs.readFileSync(path.join(dir, 'HANDOUT.md'), 'utf8')
  assert.match(handout, /make grade NODE='node --import tsx .*lab-node\.ts --host \{host\} --port \{port\} --join \{join\} --secret-file \{secret\}'/)
  for (const step of STEPS) assert.ok(handout.includes(`in \`${step.fn}\``), `HANDOUT.md names ${step.fn}`)

  const again = await runCaptured(process.execPath, [script], env)
  assert.equal(again.code, 2, 'a non-empty DIR is refused (a bad argument: exit 2)')
  assert.match(again.stderr, /not an empty directory/)
  assert.equal(again.stderr.trim().split('\n').length, 1, 'in one line')
  const missing = await runCaptured(process.execPath, [script], { ...env, DIR: '' })
  assert.equal(missing.code, 2, 'DIR= is required (a bad argument: exit 2)')
  assert.match(missing.stderr, /DIR is required/)

  // The kit's own scripts, run in the kit with nothing installed there: npm run typecheck, npm start.
  const scripts = (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts
  const typecheck = await runToExit('sh', ['-c', scripts.typecheck!], { cwd: dir })
  assert.equal(typecheck.code, 0, `the kit type-checks:\n${typecheck.output}`)
  const [, importFlag, loader] = scripts.start!.split(' ')

  const secretFile = path.join(parent, 'secret')
  fs.writeFileSync(secretFile, 'a-secret-of-the-test-cluster\n')
  const secret = 'a-secret-of-the-test-cluster'
  const args = [importFlag!, loader!, 'lab-node.ts', '--host', '127.0.0.1', '--port', '0', '--join', '', '--secret-file', secretFile]
  const node = await startStandalone(t, process.execPath, args, { cwd: dir })
  const info = await request(node, 'GET', '/nodeinfo')
  assert.equal(info.status, 200)
  assert.equal(info.body.id, node.id)
  assert.deepEqual(info.body.successor, { id: node.id, host: node.host, port: node.port })
  const peer = { host: '127.0.0.1', port: 1 }
  assert.equal((await request(node, 'PUT', '/successor', { body: JSON.stringify(peer), secret })).status, 200, 'PUT /successor')
  assert.equal(((await request(node, 'GET', '/successor')).body.successor as { port: number }).port, 1)
  assert.equal((await request(node, 'PUT', '/predecessor', { body: JSON.stringify(peer), secret })).status, 200, 'PUT /predecessor')
  assert.equal(((await request(node, 'GET', '/predecessor')).body.predecessor as { port: number }).port, 1)

  const steps: Array<[string, string, string | undefined, string]> = [
    ['GET', '/findnode?id=00', undefined, 'findNode'],
    ['POST', '/store', '{"value": "hello"}', 'store'],
    ['GET', '/lookup?value=hello', undefined, 'lookup'],
    ['POST', '/join', JSON.stringify(peer), 'join'],
    ['POST', '/leave', undefined, 'leave'],
  ]
  for (const [method, route, body, step] of steps) {
    const reply = await request(node, method, route, { ...(body === undefined ? {} : { body }), secret })
    assert.equal(reply.status, 501, `${method} ${route}`)
    assert.equal(reply.body.code, 'NOT_IMPLEMENTED')
    assert.match(String(reply.body.error), new RegExp(`^${step} is not implemented yet \\(step \\d of HANDOUT.md`))
  }
  assert.match(node.output(), /finger refresh failed: refreshFingers is not implemented yet/)

  // A second node, started as HANDOUT.md says (from the project, with its tsx), cannot join: the first
  // answers its JOIN with NOT_IMPLEMENTED, and it exits saying so.
  const fromProject = ['--import', 'tsx', path.join(dir, 'lab-node.ts'), '--host', '127.0.0.1', '--port', '0']
  const joiner = await runToExit(process.execPath, [...fromProject, '--join', `${node.host}:${node.port}`, '--secret-file', secretFile], { cwd: ROOT })
  assert.notEqual(joiner.code, 0)
  assert.match(joiner.output, /NOT_IMPLEMENTED: .*join is not implemented yet/)
})
