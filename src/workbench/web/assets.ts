// The page's files as routes of make web: page.html at /, its stylesheet and ES modules beside it
// (src/workbench/web, read from disk at start), and the trace rendering it shares with the terminal
// and the SVG writer, compiled to dist/src/workbench/render, at /render/<name>.js; each under the
// Content-Security-Policy that lets the page load only these.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Reply, Route, RouteTable } from '../../node/server/json-server.js'

const ASSET_TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' }
const ASSET_HEADERS = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'",
}

/** src/workbench/web beside the sources: walk up from this module (src/workbench/web or dist/src/workbench/web) to the folder that has its page.html. */
export function webAssetDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 6; i++, dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'src', 'workbench', 'web')
    if (fs.existsSync(path.join(candidate, 'page.html'))) return candidate
  }
  throw new Error('src/workbench/web/page.html not found above ' + path.dirname(fileURLToPath(import.meta.url)))
}

/** The compiled render modules: ../render beside this module as it runs (dist/src/workbench/web). */
export function renderModuleDir(): string {
  return fileURLToPath(new URL('../render/', import.meta.url))
}

function fileRoute(file: string): Route {
  const type = ASSET_TYPES[path.extname(file)]!
  const reply: Reply = { body: fs.readFileSync(file), headers: { 'content-type': type, ...ASSET_HEADERS } }
  return { handler: async () => reply }
}

/** The page at / and every stylesheet and module beside it at /<name>; the render modules at /render/<name>.js. */
export function assetRoutes(): RouteTable {
  const routes: RouteTable = {}
  const add = (at: string, route: Route) => (routes[at] = { GET: route, HEAD: route })
  const dir = webAssetDir()
  for (const name of fs.readdirSync(dir)) {
    if (!ASSET_TYPES[path.extname(name)]) continue
    const route = fileRoute(path.join(dir, name))
    for (const at of name === 'page.html' ? ['/', '/index.html'] : [`/${name}`]) add(at, route)
  }
  const render = renderModuleDir()
  const modules = fs.existsSync(render) ? fs.readdirSync(render).filter((name) => name.endsWith('.js')) : []
  if (modules.length === 0) throw new Error(`no compiled render modules in ${render}: run make build and start make web from dist/`)
  for (const name of modules) add(`/render/${name}`, fileRoute(path.join(render, name)))
  return routes
}
