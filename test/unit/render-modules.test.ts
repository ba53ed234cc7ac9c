// The trace rendering shared by Node and the page (src/workbench/render) stays loadable by both: as
// compiled, each module imports only its neighbours in dist/src/workbench/render (make web serves
// them at /render/), and none uses Node's built-ins or the DOM. Types may come from the node's wire
// types (src/node/wire-json.ts), which import nothing.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const ROOT = path.resolve(HERE, '../../..')
const SOURCES = path.join(ROOT, 'src/workbench/render')
const COMPILED = path.resolve(HERE, '../../src/workbench/render')

const modules = (dir: string, ext: string) => fs.readdirSync(dir).filter((name) => name.endsWith(ext))
const specifiers = (text: string) => [...text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => ({ typeOnly: m[2] !== undefined, from: m[3]! }))

test('the compiled render modules import only each other', () => {
  const compiled = modules(COMPILED, '.js')
  assert.ok(compiled.length >= 5, `render modules in ${COMPILED}: ${compiled.join(', ')}`)
  for (const name of compiled) {
    const text = fs.readFileSync(path.join(COMPILED, name), 'utf8')
    for (const { from } of specifiers(text)) {
      assert.match(from, /^\.\/[\w-]+\.js$/, `${name} imports ${from}: the page can load only its neighbours at /render/`)
      assert.ok(compiled.includes(from.slice(2)), `${name} imports ${from}, which is no render module`)
    }
    assert.doesNotMatch(text, /\bimport\s*\(/, `${name} loads nothing at run time`)
  }
})

test('the render sources use neither Node nor the DOM, and take their types from the wire’s', () => {
  for (const name of modules(SOURCES, '.ts')) {
    const text = fs.readFileSync(path.join(SOURCES, name), 'utf8')
    for (const { typeOnly, from } of specifiers(text)) {
      if (from.startsWith('./')) continue
      assert.ok(typeOnly && from === '../../node/wire-json.js', `${name} imports ${from}: only types, from the wire's declarations`)
    }
    assert.doesNotMatch(text, /\b(process|Buffer|require|document|window|globalThis)\b[.(]/, `${name} reaches for Node or the DOM`)
  }
  assert.doesNotMatch(fs.readFileSync(path.join(ROOT, 'src/node/wire-json.ts'), 'utf8'), /^\s*import\b/m, 'wire-json.ts imports nothing')
})
