import vine from '@vinejs/vine'

/**
 * An instant in a query string, read as UTC, from year 1 to 9999: an answer
 * writes it back in RFC 3339, which has no other years, and PostgreSQL
 * compares it with a timestamp. Outside that range, 422.
 */
export const instant = () =>
  vine
    .date({ formats: { utc: true } })
    .afterOrEqual('0001-01-01')
    .beforeOrEqual('9999-12-31')
