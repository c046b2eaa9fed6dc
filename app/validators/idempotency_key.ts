import { ApiError } from '#exceptions/api_error'

/**
 * The Idempotency-Key header of a money-moving call, as sent or undefined.
 * A key that is not 1 to 200 visible ASCII characters is refused, not cut
 * short: two keys that only differ past a cut would name one movement.
 */
export function idempotencyKeyHeader(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  if (!/^[\x21-\x7E]{1,200}$/.test(value)) {
    throw new ApiError('validation_failed', 'The Idempotency-Key header is not valid', {
      errors: [{ field: 'Idempotency-Key', message: 'must be 1 to 200 visible ASCII characters' }],
    })
  }
  return value
}
