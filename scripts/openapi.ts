// make openapi: writes the node API's OpenAPI document (generated from the RPC table and the client
// routes) to openapi.json at the repository's root, where a test holds it equal to what nodes serve.
import fs from 'node:fs'
import { openApiDocument } from '../src/node/api/openapi.js'
import { openApiFile, packageVersion } from '../src/node/api/version.js'
import { ok, runTool } from '../src/tools/output.js'

runTool(async () => {
  const file = openApiFile()
  const document = openApiDocument(packageVersion())
  fs.writeFileSync(file, JSON.stringify(document, null, 2) + '\n')
  const paths = Object.values((document as { paths: Record<string, object> }).paths)
  ok(`wrote ${file}: ${paths.reduce((n, methods) => n + Object.keys(methods).length, 0)} routes on ${paths.length} paths`)
})
