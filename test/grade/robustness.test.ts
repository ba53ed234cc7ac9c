// The grader against programs that misbehave: one that cannot be run, one that exits at once, one
// that answers garbage, one that hangs. Each fails the test at hand with a clear reason and the grader
// goes on to the next; it exits 1 and leaves nothing running. And on SIGTERM it kills every node.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { assertNoneLeft, GRADE_SCRIPT, groupAlive, ROOT, runGrade, shown, testById } from './_support.js'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chord-lab-grade-fakes-'))

/** A fake node: answers GET /nodeinfo as `nodeinfo` says, and everything else as `other` says. */
function fakeNode(name: string, nodeinfo: string, other: string): string {
  const file = path.join(dir, `${name}.mjs`)
  fs.writeFileSync(
    file,
    `import http from 'node:http'
const port = Number(process.argv[2])
http.createServer((request, response) => {
  if (request.url === '/nodeinfo') { ${nodeinfo} } else { ${other} }
}).listen(port, '127.0.0.1')
`,
  )
  return file
}

test('a node that cannot run, exits, answers garbage or hangs: each test fails with its reason, the grader goes on', async () => {
  const garbage = fakeNode('garbage', "response.end('<html>hello</html>')", "response.end('nope')")
  const hangs = fakeNode('hangs', "response.setHeader('content-type', 'application/json'); response.end('{}')", '/* never answers */')
  const cases = [
    { command: 'no-such-program-here {port}', reason: /could not be run/ },
    { command: `node -e "process.exit(3)" {port}`, reason: /exited \(exit code 3\)/ },
    { command: `node ${garbage} {port}`, reason: /not JSON: <html>hello<\/html>/ },
    { command: `node ${hangs} {port}`, reason: /nodeinfo\.id|"id"/ },
  ]
  for (const c of cases) {
    const run = await runGrade({ NODE: c.command, TESTS: '1.nodeinfo,1.pointers' })
    assert.equal(run.code, 1, shown(run))
    assert.equal(run.grade?.score, 0, shown(run))
    // Both tests ran: a failure in the first did not stop the grader.
    for (const id of ['1.nodeinfo', '1.pointers']) assert.equal(testById(run, id).status, 'failed')
    assert.match(testById(run, '1.nodeinfo').output, c.reason, shown(run))
    if (!c.command.startsWith('no-such')) assertNoneLeft(run)
  }
  // The one that hangs: the request in the second test times out, and that is its reason.
  const hung = await runGrade({ NODE: `node ${hangs} {port}`, TESTS: '1.pointers' })
  assert.match(testById(hung, '1.pointers').output, /no answer within 5000 ms/, shown(hung))
  assertNoneLeft(hung)
})

test('SIGTERM stops the grader and every node it started', async () => {
  const pids = path.join(dir, 'pids')
  fs.writeFileSync(pids, '')
  // Each node writes its pid first, so the test knows them without the grader's help.
  const wrapper = path.join(dir, 'wrap.sh')
  fs.writeFileSync(wrapper, `echo $$ >> ${pids}\nexec node ${path.join(ROOT, 'dist/src/node/main.js')} "$@"\n`)
  const command = `sh ${wrapper} --host={host} --port={port} --join={join} --secret-file={secret} --auth=bearer`
  const child = spawn(process.execPath, [GRADE_SCRIPT], { cwd: dir, env: { ...process.env, NODE: command, TESTS: 'bonus.fingers' }, stdio: 'ignore' })
  let code: number | null | undefined
  const exited = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve((code = c))))
  const started = () => fs.readFileSync(pids, 'utf8').trim().split('\n').filter(Boolean).map(Number)
  while (started().length < 4 && code === undefined) await new Promise((resolve) => setTimeout(resolve, 50))
  assert.equal(code, undefined, 'the grader was still running when the nodes had started')
  child.kill('SIGTERM')
  assert.equal(await exited, 130)
  const left = started().filter(groupAlive)
  for (const pid of left) process.kill(-pid, 'SIGKILL')
  assert.deepEqual(left, [], 'every node the grader started is gone')
})
