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
