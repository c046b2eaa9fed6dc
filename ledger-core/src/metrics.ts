import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

/**
 * One registry per ledger instance, so an app that embeds the ledger can
 * merge it into its own without name clashes between tests.
 */
export function createLedgerMetrics() {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'ledger_' })
  return {
    registry,
    httpDuration: new Histogram({
      name: 'ledger_http_request_duration_seconds',
      help: 'HTTP request latency by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    batchSize: new Histogram({
      name: 'ledger_writer_batch_ops',
      help: 'Operations per writer batch (one database transaction)',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
      registers: [registry],
    }),
    batchDuration: new Histogram({
      name: 'ledger_writer_batch_duration_seconds',
      help: 'Time from BEGIN to durable COMMIT of a writer batch',
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25],
      registers: [registry],
    }),
    batchRetries: new Counter({
      name: 'ledger_writer_batch_retries_total',
      help: 'Batches run again after a conflict with another process',
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'ledger_writer_queue_ops',
      help: 'Operations waiting for the writer',
      registers: [registry],
    }),
    operations: new Counter({
      name: 'ledger_operations_total',
      help: 'Writer operations by kind and outcome code',
      labelNames: ['kind', 'outcome'],
      registers: [registry],
    }),
    transfers: new Counter({
      name: 'ledger_transfers_total',
      help: 'Transfers created by status and currency',
      labelNames: ['status', 'currency'],
      registers: [registry],
    }),
    poolClients: new Gauge({
      name: 'ledger_db_pool_clients',
      help: 'Connections of the read pool by state',
      labelNames: ['state'],
      registers: [registry],
    }),
  }
}

export type LedgerMetrics = ReturnType<typeof createLedgerMetrics>
