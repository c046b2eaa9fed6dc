import vine from '@vinejs/vine'
import type { FieldContext } from '@vinejs/vine/types'

/**
 * RFC 3339: a date-time with an offset (`2026-01-31T09:30:00Z`,
 * `2026-01-31T10:30:00.123+01:00`), or a date alone, read as its midnight
 * UTC. Parsed by hand: Date.parse and dayjs shift an impossible date
 * (February 30th) into the next month instead of refusing it.
 */
const rfc3339 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2}))?$/

/** The instants an answer can write back in RFC 3339 and PostgreSQL can compare. */
const earliest_ms = utc(1, 1, 1).getTime()
const latest_ms = utc(9999, 12, 31, 23, 59, 59, 999).getTime()

/** The instant `text` names, or why it names none. */
export function parseInstant(text: string): Date | string {
  const match = rfc3339.exec(text)
  if (!match) return 'must be an RFC 3339 date-time (2026-01-31T09:30:00Z) or a date (2026-01-31)'
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction = '', offset = 'Z'] = match
  const [year, month, day] = [Number(y), Number(mo), Number(d)]
  if (month < 1 || month > 12) return `names no month: ${mo}`
  if (day < 1 || day > daysIn(year, month))
    return `names no day: ${y}-${mo} has ${daysIn(year, month)} days`
  if (Number(h) > 23 || Number(mi) > 59) return `names no time of day: ${h}:${mi}`
  if (Number(s) > 59) return 'must have seconds from 00 to 59 (leap seconds are not taken)'
  const offsetMinutes =
    offset.toUpperCase() === 'Z'
      ? 0
      : (offset[0] === '-' ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4)))
  if (Number(offset.slice(4)) > 59 || Math.abs(offsetMinutes) > 23 * 60 + 59)
    return 'has an offset past ±23:59'
  const local = utc(
    year,
    month,
    day,
    Number(h),
    Number(mi),
    Number(s),
    Number((fraction + '000').slice(1, 4))
  )
  const ms = local.getTime() - offsetMinutes * 60_000
  if (ms < earliest_ms || ms > latest_ms)
    return 'must be from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z'
  return new Date(ms)
}

/** Date.UTC reads years 0–99 as 1900–1999; setUTCFullYear takes them as written. */
function utc(year: number, month: number, day: number, h = 0, mi = 0, s = 0, ms = 0) {
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day)
  date.setUTCHours(h, mi, s, ms)
  return date
}

function daysIn(year: number, month: number) {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!
}

const instantRule = vine.createRule((value: unknown, _options: undefined, field: FieldContext) => {
  if (typeof value !== 'string') return
  const instant = parseInstant(value)
  if (typeof instant === 'string')
    field.report(`The {{ field }} field ${instant}`, 'instant', field)
  else field.mutate(instant, field)
})

/** An instant in a query string (see parseInstant), as a Date, to the millisecond. */
export const instant = () =>
  vine
    .string()
    .use(instantRule())
    .transform((value) => value as unknown as Date)
