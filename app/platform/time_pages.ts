import { ApiError } from '#exceptions/api_error'
import { isUuid } from '#validators/uuid'

/**
 * Keyset pagination newest first on (created_at, id): stable while rows
 * arrive, and each row appears once.
 */
export async function pageByTime(
  query: any,
  limit: number,
  cursor: string | undefined,
  prefix = ''
) {
  const after = decodeCursor(cursor)
  if (after) query.whereRaw(`(${prefix}created_at, ${prefix}id) < (?, ?)`, after)
  return pageOf(await query.limit(limit + 1), limit)
}

/**
 * A page of rows read newest first, one more than `limit` when more follow,
 * with the cursor that reads on after it.
 */
export function pageOf<Row extends Record<string, any>>(rows: Row[], limit: number) {
  const data = rows.slice(0, limit)
  const last = data.at(-1)
  return {
    data,
    next_cursor:
      rows.length > limit && last
        ? Buffer.from(`${new Date(last.created_at).toISOString()}|${last.id}`).toString('base64url')
        : null,
  }
}

/** How this API writes a cursor's time: toISOString() of a row's created_at, years 0001–9999. */
const cursor_time = /^(?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

/**
 * The (created_at, id) a page cursor points after. Only a cursor exactly as
 * this API writes it is taken: any other text, or a time PostgreSQL cannot
 * hold (a signed or zero year), would fail the query as a 500.
 */
export function decodeCursor(cursor: string | undefined): [string, string] | undefined {
  if (cursor === undefined) return undefined
  const [at = '', id, ...rest] = Buffer.from(cursor, 'base64url').toString().split('|')
  const time = Date.parse(at)
  const exact = cursor_time.test(at) && !Number.isNaN(time) && new Date(time).toISOString() === at
  if (rest.length > 0 || !isUuid(id) || !exact)
    throw new ApiError('validation_failed', 'The cursor is not one this API returned', {
      errors: [{ field: 'cursor', message: 'is not valid' }],
    })
  return [at, id]
}
