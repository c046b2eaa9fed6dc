import type { WebhookEndpointRow } from '#webhooks/webhook_endpoints'

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString())

/** An endpoint as its owner and staff see it: never its signing secret. */
export function webhookEndpointToJson(endpoint: WebhookEndpointRow) {
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description,
    event_types: endpoint.event_types,
    enabled: endpoint.enabled,
    disabled_reason: endpoint.disabled_reason,
    failing_since: iso(endpoint.failing_since),
    previous_secret_expires_at: iso(endpoint.previous_secret_expires_at),
    created_at: iso(endpoint.created_at)!,
    updated_at: iso(endpoint.updated_at)!,
  }
}

/** One try to deliver an event to an endpoint, as its owner and staff see it. */
export function webhookAttemptToJson(row: any) {
  return {
    id: row.id as string,
    delivery_id: row.delivery_id as string,
    event_id: row.event_id as string,
    attempt: row.attempt as number,
    created_at: iso(row.created_at)!,
    duration_ms: row.duration_ms as number,
    response_status: row.response_status as number | null,
    response_body: row.response_body as string | null,
    error: row.error as string | null,
  }
}
