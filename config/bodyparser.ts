import { defineConfig } from '@adonisjs/core/bodyparser'

/** JSON only, and small: no request of this API needs more than a few KiB. */
export default defineConfig({
  allowedMethods: ['POST', 'PUT', 'PATCH', 'DELETE'],
  form: {
    convertEmptyStringsToNull: true,
    types: ['application/x-www-form-urlencoded'],
    limit: '16kb',
  },
  json: {
    // Any JSON value parses here; the strict JSON middleware refuses what is not an object.
    strict: false,
    convertEmptyStringsToNull: false,
    types: [
      'application/json',
      'application/json-patch+json',
      'application/vnd.api+json',
      'application/csp-report',
    ],
    limit: '16kb',
  },
  multipart: {
    autoProcess: false,
    processManually: [],
    convertEmptyStringsToNull: true,
    limit: '16kb',
    types: ['multipart/form-data'],
  },
})
