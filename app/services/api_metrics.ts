import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

/** The API's Prometheus metrics (GET /metrics, behind METRICS_TOKEN). */
export const registry = new Registry()
collectDefaultMetrics({ register: registry, prefix: 'purse_api_' })

export const httpDuration = new Histogram({
  name: 'purse_api_http_request_duration_seconds',
  help: 'Request latency by route and status',
  labelNames: ['method', 'route', 'status'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [registry],
})

export const rateLimitHits = new Counter({
  name: 'purse_api_rate_limit_hits_total',
  help: 'Requests refused by a rate limit, and limits checked in memory because Redis was down',
  labelNames: ['limit', 'outcome'],
  registers: [registry],
})

export const transfersTotal = new Counter({
  name: 'purse_api_transfers_total',
  help: 'Transfers by kind, currency and outcome code',
  labelNames: ['kind', 'currency', 'outcome'],
  registers: [registry],
})
