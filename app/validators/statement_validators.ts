import vine from '@vinejs/vine'
import { instant } from '#validators/instant'
import { ApiError } from '#exceptions/api_error'

const range = {
  from: instant().optional(),
  to: instant().optional(),
}

/** The caller's own statement, by currency. */
export const statementValidator = vine.create({
  currency: vine
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/),
  ...range,
})

/** Any user wallet's statement, for support. */
export const statementRangeValidator = vine.create(range)

/**
 * A period that ends before it starts is a mistake, not an empty statement.
 * (VineJS's afterField compares whole days and refuses `to` without `from`.)
 */
export function requireOrdered<T extends { from?: Date; to?: Date }>(period: T): T {
  if (period.from && period.to && period.to <= period.from) {
    throw new ApiError('validation_failed', 'The period ends before it starts', {
      errors: [{ field: 'to', message: 'must be after from' }],
    })
  }
  return period
}
