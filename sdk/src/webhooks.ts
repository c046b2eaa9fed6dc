import { Webhook } from 'standardwebhooks'
import type { PurseEvent } from './event_stream.ts'

/** A delivery that does not verify: not from Purse, changed on the way, or too old (a replay). */
export class PurseWebhookError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'PurseWebhookError'
  }
}

/**
 * Verify a webhook delivery and read its event. Pass the body exactly as it
 * arrived (the raw bytes or text, before any JSON parsing: re-serialised JSON
 * would not verify), the request's headers, and the endpoint's secret
 * (`whsec_…`). Checks the Standard Webhooks signature and that the delivery
 * is at most 5 minutes old; de-duplicate on the event's `id` (deliveries are
 * at least once).
 */
export function verifyWebhook(
  rawBody: string | Uint8Array,
  headers: Record<string, string | string[] | undefined> | Headers,
  secret: string
): PurseEvent {
  const get = (name: string) => {
    const value = headers instanceof Headers ? headers.get(name) : headers[name]
    return Array.isArray(value) ? value.join(' ') : (value ?? '')
  }
  const body = typeof rawBody === 'string' ? rawBody : new TextDecoder().decode(rawBody)
  try {
    return new Webhook(secret).verify(body, {
      'webhook-id': get('webhook-id'),
      'webhook-timestamp': get('webhook-timestamp'),
      'webhook-signature': get('webhook-signature'),
    }) as PurseEvent
  } catch (error) {
    throw new PurseWebhookError(`the webhook does not verify: ${(error as Error).message}`, {
      cause: error,
    })
  }
}
