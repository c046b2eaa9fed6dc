import { defineConfig } from '@adonisjs/core/bodyparser'

/**
 * JSON only, and small: no request of this API needs more than a few KiB.
 * No form or multipart type is read; the strict input middleware answers
 * 415 to a body of any type but application/json.
 */
export default defineConfig({
  allowedMethods: ['POST', 'PUT', 'PATCH', 'DELETE'],
  form: {
    types: [],
    limit: '16kb',
  },
  json: {
    // Any JSON value parses here; the strict input middleware refuses what is not an object.
    strict: false,
    convertEmptyStringsToNull: false,
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
