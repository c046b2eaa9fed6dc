import { defineConfig } from '@adonisjs/core/bodyparser'

/**
 * JSON only, and small: no request of this API needs more than a few KiB.
 * No form or multipart type is read; the strict input middleware answers
 * 415 to a body of any type but application/json.
 *
 * A JSON body is read here as text and parsed once, by the strict input
 * middleware, whose rules (plain integers only, no __proto__, storable
 * text) need the parse itself; parsing it here as well would only be
 * thrown away.
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
    limit: '16kb',
  },
  multipart: {
    autoProcess: false,
    processManually: [],
    types: [],
    limit: '16kb',
  },
})
