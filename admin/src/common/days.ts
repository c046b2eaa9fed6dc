const day_pattern = /^\d{4}-\d{2}-\d{2}$/

/**
 * Days picked in the viewer's time zone (YYYY-MM-DD, as date inputs give
 * them) as the API's instants: `from` at the start of its day, `to` at the
 * start of the next, so the `to` day is included. Anything else is left out.
 */
export function dayRange(from: unknown, to: unknown): { from?: string; to?: string } {
  const range: { from?: string; to?: string } = {}
  if (typeof from === 'string' && day_pattern.test(from))
    range.from = new Date(`${from}T00:00:00`).toISOString()
  if (typeof to === 'string' && day_pattern.test(to)) {
    const end = new Date(`${to}T00:00:00`)
    end.setDate(end.getDate() + 1)
    range.to = end.toISOString()
  }
  return range
}
