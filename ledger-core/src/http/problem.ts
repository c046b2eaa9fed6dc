import { isUtf8 } from 'node:buffer'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { LedgerError, error_catalogue, type ErrorCode, type FieldError } from '../domain/errors.ts'
import { json_depth_max } from '../domain/limits.ts'
import { databaseUnreachable, isConnectionError } from '../store/connection_errors.ts'

/** Write an error as RFC 9457 problem details with our stable code. */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: LedgerError) {
  const { title } = error_catalogue[error.code]
  if (error.replayed) reply.header('idempotent-replayed', 'true')
  return reply
    .code(error.status)
    .type('application/problem+json')
    .send({
      type: `urn:purse:ledger:error:${error.code}`,
      title,
      status: error.status,
      code: error.code,
      detail: error.message,
      ...(error.errors ? { errors: error.errors } : {}),
      ...(error.index !== undefined ? { index: error.index } : {}),
      request_id: request.id,
    })
}

/** Map what Fastify and Ajv throw to the catalogue; anything unknown is a 500. */
export function toLedgerError(error: FastifyError): LedgerError {
  if (error instanceof LedgerError) return error
  if (error.validation) {
    const context = error.validationContext
    const missingKey = error.validation.some(
      (v) => context === 'headers' && (v.params as any)?.missingProperty === 'idempotency-key'
    )
    if (missingKey)
      return new LedgerError(
        'idempotency_key_required',
        'send an Idempotency-Key header with this request'
      )
    const errors: FieldError[] = error.validation.map((v) => {
      const missing = (v.params as any)?.missingProperty
      const extra = (v.params as any)?.additionalProperty
      const path = v.instancePath.replace(/^\//, '').replaceAll('/', '.')
      const field = [path, missing ?? extra].filter(Boolean).join('.') || context || 'body'
      const message = extra ? 'is not a known field' : (v.message ?? 'is not valid')
      return { field, message }
    })
    return new LedgerError('validation_failed', `the ${context ?? 'request'} is not valid`, {
      errors,
    })
  }
  const byFastifyCode: Record<string, [ErrorCode, string]> = {
    FST_ERR_CTP_INVALID_MEDIA_TYPE: ['unsupported_media_type', 'send the body as application/json'],
    FST_ERR_CTP_INVALID_CONTENT_LENGTH: [
      'invalid_json',
      'the Content-Length does not match the body',
    ],
    FST_ERR_CTP_BODY_TOO_LARGE: ['payload_too_large', 'the body is larger than the server accepts'],
    FST_ERR_CTP_EMPTY_JSON_BODY: [
      'invalid_json',
      'the body is empty but the content type says JSON',
    ],
  }
  const known = error.code ? byFastifyCode[error.code] : undefined
  if (known) return new LedgerError(known[0], known[1])
  if (error.statusCode === 413)
    return new LedgerError('payload_too_large', 'the body is larger than the server accepts')
  if (isConnectionError(error)) return databaseUnreachable()
  return new LedgerError('internal_error', 'the ledger failed to handle this request')
}

/**
 * A JSON body's bytes as text. JSON on the wire is UTF-8 (RFC 8259 §8.1; a
 * charset parameter means nothing for application/json), and bytes that are
 * not UTF-8 are refused: decoding them with replacement characters would
 * store a description or a name other than the one sent (`caf\xe9` in
 * Latin-1 would become `caf\ufffd`) and answer as if all were well. A
 * leading byte order mark, which some clients write, is skipped, as the
 * same section allows and as common JSON body parsers do.
 */
export function decodeJsonBody(bytes: Buffer): string {
  if (!isUtf8(bytes)) throw new LedgerError('invalid_json', 'the body is not valid UTF-8')
  const text = bytes.toString('utf8')
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}

/**
 * Parse JSON so that only plain integer literals count as numbers: `1e3`,
 * `1.0`, `-0` and integers past 2^53 stay text and fail the schema's
 * integer check instead of silently becoming a different amount. Keys and
 * strings PostgreSQL cannot store (see `isStorableText`) are refused here,
 * before they reach a query and fail it as a 500.
 *
 * A key that appears twice in one object is refused too (I-JSON, RFC 7493):
 * JSON.parse keeps the last one, but a proxy, a log or a partner's parser
 * may read the first, and `{"amount": 1, "amount": 100000}` must not mean
 * one thing to them and another here.
 */
export function parseStrictJson(text: string): unknown {
  const shape = scan(text)
  // Refused before parsing: no request nests this deep, and a reviver walks
  // the parsed value recursively.
  if (shape.depth > json_depth_max) {
    throw new LedgerError('invalid_json', `the body nests deeper than ${json_depth_max} levels`)
  }
  let parsed: unknown
  members_seen = 0
  try {
    parsed = JSON.parse(text, strictReviver)
  } catch (error) {
    if (error instanceof LedgerError) throw error
    throw new LedgerError('invalid_json', 'the body is not valid JSON')
  }
  // The reviver's last call is for the whole value, which is no member.
  if (members_seen - 1 < shape.nameSeparators) {
    throw new LedgerError('invalid_json', 'a key appears more than once in one object')
  }
  return parsed
}

/** Object members the reviver has seen in the current parse (parsing is synchronous). */
let members_seen = 0

function strictReviver(this: unknown, key: string, value: unknown, context?: { source?: string }) {
  if (!Array.isArray(this)) members_seen++
  if (key === '__proto__' || key === 'constructor' || key === 'prototype') {
    throw new LedgerError('invalid_json', `the key "${key}" is not allowed`)
  }
  // Node 24's JSON.parse can read an escaped key as another key it met
  // before (V8's key transitions; nodejs/node#63785, open): `{"h":1,"\"":2}`
  // after `{"h":[],"\\":0}` reads its `"` key as `\`. Every key it misreads
  // comes out holding a backslash, and no field or sensible metadata key has
  // one, so refusing them means a body is read exactly as written or refused.
  if (key.includes('\\')) {
    throw new LedgerError('invalid_json', 'a key may not hold a backslash')
  }
  if (!isStorableText(key) || (typeof value === 'string' && !isStorableText(value))) {
    throw new LedgerError('invalid_json', 'the body holds U+0000 or an unpaired surrogate')
  }
  if (typeof value === 'number' && context?.source !== undefined) {
    const plainInteger = /^-?(0|[1-9]\d*)$/.test(context.source)
    if (!plainInteger || !Number.isSafeInteger(value) || Object.is(value, -0)) return context.source
  }
  return value
}

/**
 * What a pass over the text outside its strings finds:
 * - `nameSeparators`, the colons: in text JSON.parse accepts, exactly one per
 *   object member written, so more of them than members parsed means a key
 *   was written twice and the parser kept only one;
 * - `depth`, the deepest nesting of arrays and objects.
 * (On text that is not JSON the counts mean nothing; JSON.parse refuses it.)
 */
function scan(text: string): { nameSeparators: number; depth: number } {
  let nameSeparators = 0
  let depth = 0
  let open = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (inString) {
      // A backslash escapes the next character, which may be a quote.
      if (code === 0x5c) i++
      else if (code === 0x22) inString = false
    } else if (code === 0x22) inString = true
    else if (code === 0x3a) nameSeparators++
    else if (code === 0x5b || code === 0x7b) depth = Math.max(depth, ++open)
    else if (code === 0x5d || code === 0x7d) open--
  }
  return { nameSeparators, depth }
}

/**
 * PostgreSQL's text and jsonb hold neither U+0000 nor half of a UTF-16
 * surrogate pair (JSON can spell both, as `\u0000` and `\ud800`): such a
 * value makes the query fail. Everything else is storable.
 */
export function isStorableText(text: string): boolean {
  return text.isWellFormed() && !text.includes('\u0000')
}
