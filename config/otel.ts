import { defineConfig } from '@adonisjs/otel'
import env from '#start/env'

/**
 * Traces (W3C traceparent in and out, so a request is one trace across the
 * API and ledger-core) and trace ids on log lines. Off unless an OTLP
 * endpoint is configured: no collector, no cost. The exporter reads the
 * standard OTEL_EXPORTER_OTLP_* variables (protocol, headers).
 */
export default defineConfig({
  enabled: Boolean(env.get('OTEL_EXPORTER_OTLP_ENDPOINT')),
  serviceName: env.get('OTEL_SERVICE_NAME', 'purse-api'),
  serviceVersion: env.get('APP_VERSION', '0.1.0'),
  environment: env.get('NODE_ENV'),
  samplingRatio: env.get('OTEL_TRACES_SAMPLER_RATIO', 1),
  instrumentations: {
    // Health checks and scrapes would drown the traces that matter.
    '@opentelemetry/instrumentation-http': { ignoredUrls: ['/health', '/health/live', '/metrics'] },
  },
})
