/**
 * Whether a caller's X-Request-Id is kept as the request's id: a plain token
 * such as a UUID, up to 128 characters. The id goes on every log line of the
 * request, so anything longer or stranger is replaced, never logged as sent.
 */
export function isAcceptableRequestId(value: unknown): value is string {
  return typeof value === 'string' && /^[\w.:-]{1,128}$/.test(value)
}
