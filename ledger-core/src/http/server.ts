import { createHash, randomUUID, timingSafeEqual } from 'node:crypto'
import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import Fastify, { LogController, type FastifyInstance } from 'fastify'
import { LedgerError } from '../domain/errors.ts'
import { request_body_bytes_max } from '../domain/limits.ts'
import type { Ledger } from '../engine/ledger.ts'
import { loadContract, type Operation } from './contract.ts'
import { decodeJsonBody, parseStrictJson, sendProblem, toLedgerError } from './problem.ts'
import { handlers } from './handlers.ts'
import { isAcceptableRequestId } from './request_id.ts'

export interface ServerOptions {
  ledger: Ledger
  apiTokens: string[]
  logLevel?: string
}

/**
 * The HTTP face of the ledger: routes and request schemas come from
 * openapi.yaml; handlers only translate between HTTP and the Ledger.
 */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const { operations } = await loadContract()
  const app = Fastify({
    logger: { level: options.logLevel ?? 'info', redact: ['req.headers.authorization'] },
    // Per-request logs cost more than the request at ledger rates; errors
    // are still logged, and metrics count every request.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: request_body_bytes_max,
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return isAcceptableRequestId(given) ? given : randomUUID()
    },
    ajv: { customOptions: { strict: false } },
    // Raised while routing, before any hook: answered as every error is.
    frameworkErrors: (error, request, reply) => {
      reply.header('x-request-id', request.id)
      return sendProblem(request, reply, routingError(error))
    },
  })

  // Bodies are validated as sent (no coercion, unknown fields refused);
  // query strings and headers are text, so they are coerced to their types.
  const bodyAjv = addFormats.default(
    new Ajv({ allErrors: true, strict: false, coerceTypes: false })
  )
  const textAjv = addFormats.default(
    new Ajv({ allErrors: true, strict: false, coerceTypes: true, useDefaults: true })
  )
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? bodyAjv : textAjv).compile(schema)
  )

  app.removeAllContentTypeParsers()
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    if (body.length === 0) return done(null, undefined)
    try {
      done(null, parseStrictJson(decodeJsonBody(body as Buffer)))
    } catch (error) {
      done(error as Error, undefined)
    }
  })

  // At LOG_LEVEL=debug, one line per request (with trace_id when tracing is on);
  // at other levels the hook is not even registered, so it costs nothing.
  if (['debug', 'trace'].includes(app.log.level)) {
    app.addHook('onResponse', async (request, reply) => {
      request.log.debug(
        {
          method: request.method,
          route: request.routeOptions.url,
          status: reply.statusCode,
          ms: Math.round(reply.elapsedTime),
        },
        'request completed'
      )
    })
  }

  const tokens = options.apiTokens.map(digest)
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id)
    if ((request.routeOptions.config as { secured?: boolean } | undefined)?.secured === false)
      return
    const header = request.headers.authorization ?? ''
    // An authentication scheme's name is case-insensitive (RFC 9110 §11.1).
    const presented = /^bearer /i.test(header) ? digest(header.slice(7)) : null
    if (!presented || !tokens.some((token) => timingSafeEqual(token, presented))) {
      return sendProblem(
        request,
        reply,
        new LedgerError('unauthorized', 'send the service token as a Bearer token')
      )
    }
  })

  const { metrics } = options.ledger
  app.addHook('onResponse', async (request, reply) => {
    metrics.httpDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unknown',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000
    )
  })

  app.setErrorHandler((error, request, reply) => {
    const ledgerError = toLedgerError(error as any)
    if (ledgerError.status >= 500) request.log.error({ err: error }, 'request failed')
    return sendProblem(request, reply, ledgerError)
  })
  const methodsOf = methodsByPath(operations)
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!
    const allow = methodsOf(path)
    if (allow.length === 0)
      return sendProblem(
        request,
        reply,
        new LedgerError('not_found', `no route for ${request.method} ${path}`)
      )
    reply.header('allow', allow.join(', '))
    return sendProblem(
      request,
      reply,
      new LedgerError(
        'method_not_allowed',
        `${request.method} is not allowed on ${path}; it takes ${allow.join(', ')}`
      )
    )
  })

  const routes = handlers(options.ledger)
  for (const operation of operations) {
    const handler = routes[operation.operationId as keyof typeof routes]
    if (!handler)
      throw new Error(`openapi.yaml names ${operation.operationId}, which has no handler`)
    app.route({
      method: operation.method as 'GET' | 'POST',
      url: operation.path.replace(/\{(\w+)\}/g, ':$1'),
      schema: operation.schema,
      config: { secured: operation.secured } as object,
      // An optional body left out is validated as an empty object.
      preValidation: operation.optionalBody
        ? async (request) => {
            request.body ??= {}
          }
        : undefined,
      handler: handler as any,
    })
  }
  return app
}

/**
 * The methods the contract gives a concrete path, so that a path that exists
 * answers 405 with `Allow` to a method it does not take, not 404 as if it
 * did not exist. Fastify answers HEAD wherever it answers GET.
 */
function methodsByPath(operations: Operation[]) {
  const routes = operations.map((operation) => ({
    method: operation.method,
    pattern: new RegExp(`^${operation.path.replace(/\{\w+\}/g, '[^/]+')}$`),
  }))
  return (path: string) => {
    const methods = routes.filter((route) => route.pattern.test(path)).map((r) => r.method)
    if (methods.includes('GET')) methods.push('HEAD')
    return [...new Set(methods)].sort()
  }
}

/**
 * A path segment whose percent-escapes do not decode is unreadable (400); one
 * longer than the router takes is longer than any id, so nothing is there.
 */
function routingError(error: { code?: string }): LedgerError {
  if (error.code === 'FST_ERR_BAD_URL')
    return new LedgerError(
      'invalid_path',
      'a percent-escape in the path does not decode to UTF-8 text'
    )
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH')
    return new LedgerError('not_found', 'no such resource: a path segment is longer than any id')
  return toLedgerError(error as never)
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest()
}
