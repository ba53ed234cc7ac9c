// The API document's version: the package's, read once from package.json above this module (src or dist).
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export function packageVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 6; i++, dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json')
    if (fs.existsSync(file)) return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: string }).version ?? '0.0.0'
  }
  return '0.0.0'
}

/** The repository's copy of the document, beside package.json. */
export function openApiFile(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 6; i++, dir = path.dirname(dir)) if (fs.existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'openapi.json')
  throw new Error('package.json not found above ' + path.dirname(fileURLToPath(import.meta.url)))
}
