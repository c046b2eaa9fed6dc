import vine from '@vinejs/vine'
import type { FieldContext } from '@vinejs/vine/types'

/** The longest description a payment may carry, in characters (code points), as ledger-core takes it. */
export const description_length_max = 280

/**
 * A string's length in characters (Unicode code points), the way the
 * contract's JSON Schema, ledger-core and PostgreSQL's varchar count it.
 * VineJS's minLength and maxLength count UTF-16 units (String#length), in
 * which an emoji is two: a 70-emoji password the contract allows would be
 * refused, and a 4-emoji one it refuses would pass.
 */
export const characters = vine.createRule(
  (value: unknown, options: { min: number; max: number }, field: FieldContext) => {
    if (typeof value !== 'string') return
    // At least half as many characters as UTF-16 units: a long string stops here, uncounted.
    let count = value.length > 2 * options.max ? Number.POSITIVE_INFINITY : 0
    if (count === 0) for (const _ of value) count++
    if (count < options.min) {
      field.report(
        'The {{ field }} field must have at least {{ min }} characters',
        'minLength',
        field,
        options
      )
    } else if (count > options.max) {
      field.report(
        'The {{ field }} field must not be greater than {{ max }} characters',
        'maxLength',
        field,
        options
      )
    }
  }
)
