/**
 * The platform module: what any module may use and that uses none of them:
 * metrics, in-flight request counting, rate limits and time-ordered pages.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import { inFlightRequests } from '#platform/in_flight_requests'

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

new Gauge({
  name: 'purse_api_http_requests_in_flight',
  help: 'Requests whose handler is running, including those whose client hung up',
  registers: [registry],
  collect() {
    this.set(inFlightRequests.count)
  },
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

/** Filled by the remote ledger client: 0 closed, 1 open, 2 half-open, 3 isolated (cockatiel's states). */
export const breakerState = new Gauge({
  name: 'purse_api_ledger_breaker_state',
  help: 'Circuit breaker in front of ledger-core: 0 closed, 1 open, 2 half-open, 3 isolated',
  registers: [registry],
})

/** The app database pool, read at scrape time. */
export const poolGauge = new Gauge({
  name: 'purse_api_db_pool_connections',
  help: 'App database pool connections by state (used, free, pending acquires)',
  labelNames: ['state'],
  registers: [registry],
  async collect() {
    const { default: db } = await import('@adonisjs/lucid/services/db')
    const pool = (db.connection().getWriteClient() as any)?.client?.pool
    if (!pool) return
    this.set({ state: 'used' }, pool.numUsed())
    this.set({ state: 'free' }, pool.numFree())
    this.set({ state: 'pending' }, pool.numPendingAcquires())
  },
})
