/** "2026-12-02" for a Date, in the reader's own time zone (what a date input shows). */
export function dayOf(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}

/**
 * A range of local days as the API's instants: from the first day's local
 * midnight to the midnight after the last day (the API's `to` is exclusive).
 */
export function daysToInstants(from: string, to: string): { from?: string; to?: string } {
  const start = from ? new Date(`${from}T00:00:00`) : undefined
  const end = to ? new Date(`${to}T00:00:00`) : undefined
  end?.setDate(end.getDate() + 1)
  return {
    ...(start && !Number.isNaN(start.getTime()) ? { from: start.toISOString() } : {}),
    ...(end && !Number.isNaN(end.getTime()) ? { to: end.toISOString() } : {}),
  }
}

/** The first day of this month to today: the statement a person opens first. */
export function thisMonth(): { from: string; to: string } {
  const today = new Date()
  return { from: dayOf(new Date(today.getFullYear(), today.getMonth(), 1)), to: dayOf(today) }
}
