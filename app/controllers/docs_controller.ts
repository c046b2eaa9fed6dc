import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type { HttpContext } from '@adonisjs/core/http'
import app from '@adonisjs/core/services/app'
import { parse } from 'yaml'
import { ApiError } from '#exceptions/api_error'

const swaggerDir = join(
  createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'),
  '..'
)
/** The only files of swagger-ui-dist the docs page loads. */
const assets: Record<string, string> = {
  'swagger-ui.css': 'text/css',
  'swagger-ui-bundle.js': 'text/javascript',
  'swagger-ui-standalone-preset.js': 'text/javascript',
}

let contract: Promise<unknown> | null = null
let sdkReadme: Promise<string> | null = null

/** The public contract (openapi/public.yaml) as JSON, and interactive docs served from this app. */
export default class DocsController {
  async contract({ response }: HttpContext) {
    contract ??= readFile(app.makePath('openapi/public.yaml'), 'utf8').then((text) => parse(text))
    response.header('cache-control', 'public, max-age=300')
    return contract
  }

  async page({ response }: HttpContext) {
    response.header('content-type', 'text/html; charset=utf-8')
    response.header(
      'content-security-policy',
      "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:"
    )
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Purse API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="docs"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/swagger-ui-standalone-preset.js"></script>
<script src="/docs/assets/init.js"></script></body></html>`
  }

  /** The SDK's README, which the contract's introduction links to. */
  async sdk({ response }: HttpContext) {
    sdkReadme ??= readFile(app.makePath('sdk/README.md'), 'utf8')
    response.header('content-type', 'text/markdown; charset=utf-8')
    response.header('cache-control', 'public, max-age=300')
    return sdkReadme
  }

  async asset({ params, response }: HttpContext) {
    if (params.file === 'init.js') {
      response.header('content-type', 'text/javascript')
      return "window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#docs', deepLinking: true, displayOperationId: false, docExpansion: 'none' })"
    }
    const type = assets[params.file]
    if (!type) throw new ApiError('not_found')
    response.header('content-type', type)
    response.header('cache-control', 'public, max-age=86400')
    return readFile(join(swaggerDir, params.file))
  }
}
