import { defineConfig } from '@adonisjs/core/bodyparser'

/**
 * JSON only, and small: no request of this API needs more than a few KiB.
 * No form or multipart type is read; the strict input middleware answers
 * 415 to a body of any type but application/json.
 *
 * A JSON body is read here as text and parsed once, by the strict input
 * middleware, whose rules (plain integers only, no __proto__, storable
 * text) need the parse itself; parsing it here as well would only be
 * thrown away. It is read as Latin-1, which keeps every byte as one
 * character, so that the middleware can refuse bytes that are not UTF-8
 * instead of receiving them already replaced with U+FFFD.
 */
export default defineConfig({
  allowedMethods: ['POST', 'PUT', 'PATCH', 'DELETE'],
  form: {
    types: [],
    limit: '16kb',
  },
  json: {
    types: [],
  },
  raw: {
    types: ['application/json'],
    encoding: 'latin1',
    limit: '16kb',
  },
  multipart: {
    autoProcess: false,
    processManually: [],
    types: [],
    limit: '16kb',
  },
})
