import fc from 'fast-check'

/**
 * Generated hostile input, for the fuzz suites of ledger-core's API and of
 * the public API.
 */

/** Values a field may be sent with: any JSON, the usual wrong ones, and near misses of valid ones. */
export function hostileValues(...nearMisses: unknown[]) {
  return fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom(...nearMisses),
    fc.constantFrom(0, -1, 1.5, 2 ** 53, '10', true, null, [], {}, '', ' ', 'x'.repeat(300))
  )
}

/** Text for a query string or a path segment: printable, control characters, any script. */
export const hostileText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary-ascii', maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 8 })
)

/**
 * A path segment as a client could put it on the wire: text percent-encoded,
 * bad and overlong escapes (`%ZZ`, a cut UTF-8 sequence, `%C0%AF` for `/`),
 * encoded slashes and dots, raw Unicode, and very long segments. Never
 * empty: an empty segment is another route.
 */
export const hostilePathSegment = fc.oneof(
  hostileText.filter(Boolean).map(encodeURIComponent),
  fc.constantFrom('%ZZ', '%', '%A', '%E0%A4%A', '%C0%AF', '%C0%80', '%FF', '%ED%A0%80', '%00'),
  fc.constantFrom('%2F', '%2f..%2f', '%2e%2e', '..', '.', '%5C', 'a%2Fb', '%252F'),
  fc
    .array(fc.constantFrom('%C0', '%80', '%E0', '%F8', '%FC', '%2F', '%25', 'a', '%41'), {
      minLength: 1,
      maxLength: 24,
    })
    .map((parts) => parts.join('')),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }).map(encodeURI),
  fc.constantFrom('a'.repeat(2_000), '%41'.repeat(700), '0'.repeat(10_000))
)

const digits = (min: number, max: number, width: number) =>
  fc.integer({ min, max }).map((n) => String(n).padStart(width, '0'))

/**
 * Text for a date-time parameter: valid RFC 3339 next to impossible dates
 * (February 30th, month 13, hour 24), leap seconds, signed and zero years,
 * extreme offsets, long fractions and other shapes a parser might bend.
 */
export const hostileInstant = fc.oneof(
  fc
    .tuple(
      fc.oneof(digits(0, 9999, 4), fc.constantFrom('+275760', '-000001', '+010000', '99999')),
      digits(0, 13, 2),
      digits(0, 32, 2),
      fc.option(
        fc.tuple(
          fc.constantFrom('T', 't', ' ', '_'),
          digits(0, 25, 2),
          digits(0, 61, 2),
          digits(0, 61, 2),
          fc.option(fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 12 })),
          fc.constantFrom('Z', 'z', '+00:00', '-23:59', '+24:00', '+14:60', '-00:00', '', '+0530')
        )
      )
    )
    .map(([year, month, day, time]) => {
      if (!time) return `${year}-${month}-${day}`
      const [separator, hour, minute, second, fraction, offset] = time
      const part = fraction === null ? '' : `.${fraction}`
      return `${year}-${month}-${day}${separator}${hour}:${minute}:${second}${part}${offset}`
    }),
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
  fc.constantFrom('now', 'yesterday', '1700000000', '2026-01-01T00:00:00.000Z|x', '')
)

/**
 * A cursor the API gave, mutated: each `|`-separated field (or the whole
 * text) replaced by an instant, a number, an id or hostile text, fields
 * added or dropped, then encoded again; or not base64url at all.
 */
export function hostileCursor(cursor: string) {
  const fields = Buffer.from(cursor, 'base64url').toString().split('|')
  const field = fc.oneof(
    hostileInstant,
    hostileText,
    fc.uuid().map(String),
    fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map((n) => `s${n}`),
    fc.constantFrom('s', 's-1', 's999999999999999999', 's9223372036854775808')
  )
  return fc.oneof(
    fc
      .tuple(fc.nat({ max: fields.length }), field, fc.constantFrom('replace', 'add', 'drop'))
      .map(([index, value, how]) => {
        const next = [...fields]
        if (how === 'replace') next[Math.min(index, next.length - 1)] = value
        else if (how === 'add') next.splice(index, 0, value)
        else next.splice(index, 1)
        return Buffer.from(next.join('|')).toString('base64url')
      }),
    hostileText.map((text) => Buffer.from(text).toString('base64url')),
    hostileText
  )
}

/**
 * A header value fetch can send (visible ASCII, spaces, tabs and Latin-1
 * bytes): empty, over-long, with quotes, commas and semicolons.
 */
export const hostileHeaderValue = fc.oneof(
  fc.string({
    unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
    maxLength: 300,
  }),
  fc.string({
    unit: fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)),
    maxLength: 20,
  }),
  fc.constantFrom(
    '',
    ' ',
    '\t',
    // Long, but four of them stay under Node's 16 KiB of headers (431 is tested on its own).
    'x'.repeat(3_000),
    '"quoted"',
    'a, b',
    'a;q=0.5',
    '*/*',
    '*',
    'identity'
  )
)
