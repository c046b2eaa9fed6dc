import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'

/** Ids from clients that are kept: plain tokens such as UUIDs, up to 128 characters. */
const acceptable_request_id = /^[\w.:-]{1,128}$/

/**
 * AdonisJS takes a request's id from its X-Request-Id header when there is
 * one, and puts it on every log line of the request and in every error
 * answer. A partner's own correlation id is welcome, but a client could
 * otherwise fill each log line with kilobytes, or with text that reads like
 * log fields. Anything but a plain token is dropped here, before AdonisJS
 * sees the request, and the request gets an id of its own.
 */
export function createServerWithRequestIds(
  handle: (request: IncomingMessage, response: ServerResponse) => void
) {
  return createServer((request, response) => {
    const id = request.headers['x-request-id']
    if (id !== undefined && !(typeof id === 'string' && acceptable_request_id.test(id)))
      delete request.headers['x-request-id']
    handle(request, response)
  })
}
