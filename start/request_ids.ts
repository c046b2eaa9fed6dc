import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { isAcceptableRequestId } from '@purse/ledger-core'
import { answerClientError } from '#exceptions/transport_errors'

/**
 * AdonisJS takes a request's id from its X-Request-Id header when there is
 * one, and puts it on every log line of the request and in every error
 * answer. A partner's own correlation id is welcome, but a client could
 * otherwise fill each log line with kilobytes, or with text that reads like
 * log fields. Anything but a plain token (ledger-core's rule) is dropped
 * here, before AdonisJS sees the request, and the request gets its own id.
 */
export function createServerWithRequestIds(
  handle: (request: IncomingMessage, response: ServerResponse) => void
) {
  const server = createServer((request, response) => {
    const id = request.headers['x-request-id']
    if (id !== undefined && !isAcceptableRequestId(id)) delete request.headers['x-request-id']
    handle(request, response)
  })
  // Requests Node refuses before they exist are answered as problem+json too.
  return server.on('clientError', answerClientError(process.env.NODE_ENV === 'production'))
}
