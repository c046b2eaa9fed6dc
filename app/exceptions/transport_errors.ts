import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import { api_errors, type ApiErrorCode } from '#exceptions/api_error'
import { securityHeaders } from '#platform/security_headers'

/**
 * Requests refused before AdonisJS has a request to hand the exception
 * handler: answered here as every error is, problem+json with a request id
 * and the security headers.
 *
 * A path whose percent-escapes do not decode (`%ZZ`, `%C0%AF`, a cut UTF-8
 * sequence) never reaches the router, the middleware or the exception
 * handler: AdonisJS refuses it while making the request. It is answered
 * here as every error is, problem+json with a request id and the security
 * headers. (The request id is always new: the one a client sent comes with
 * a URL that could not be read either.)
 */
export function answerBadUrl(production: boolean) {
  return (request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '/').split('?')[0]!
    const problem = problemOf(
      'invalid_path',
      'A percent-escape in the path does not decode to UTF-8 text'
    )
    response.writeHead(problem.status, { ...securityHeaders(path, production), ...problem.headers })
    response.end(problem.body)
  }
}

/**
 * What Node's HTTP parser refuses before any request exists (headers past
 * 16 KiB, bytes that are not HTTP): Node would answer a bare 431 or 400.
 * The socket is answered with problem+json and closed.
 */
export function answerClientError(production: boolean) {
  return (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable) return socket.destroy()
    const problem =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? problemOf('headers_too_large', 'The request headers are larger than 16 KiB')
        : problemOf('invalid_request', 'The request is not valid HTTP/1.1')
    const headers = { ...securityHeaders('/', production), ...problem.headers, Connection: 'close' }
    socket.end(
      `HTTP/1.1 ${problem.status} ${problem.title}\r\n` +
        Object.entries({ ...headers, 'Content-Length': Buffer.byteLength(problem.body) })
          .map(([name, value]) => `${name}: ${value}\r\n`)
          .join('') +
        `\r\n${problem.body}`
    )
  }
}

function problemOf(code: ApiErrorCode, detail: string) {
  const requestId = randomUUID()
  const { status, title } = api_errors[code]
  return {
    status,
    title,
    headers: {
      'Content-Type': 'application/problem+json; charset=utf-8',
      'X-Request-Id': requestId,
    },
    body: JSON.stringify({
      type: `urn:purse:error:${code}`,
      title,
      status,
      code,
      detail,
      request_id: requestId,
    }),
  }
}
