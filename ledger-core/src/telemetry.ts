import { register } from 'node:module'

/**
 * OpenTelemetry for the ledger-core process, off unless
 * OTEL_EXPORTER_OTLP_ENDPOINT is set (no collector, no cost). When on:
 * incoming requests continue the caller's trace (W3C traceparent from the
 * API), spans go to the OTLP endpoint (the standard OTEL_EXPORTER_OTLP_*
 * variables set protocol and headers), and every log line written inside a
 * request carries trace_id and span_id.
 *
 * It must run before Fastify and pino are loaded, so src/main.ts imports the
 * rest of the process only after this.
 */
export async function startTelemetry(): Promise<{ shutdown(): Promise<void> } | null> {
  if (!process.env.OTEL_EXPORTER_OTLP_ENDPOINT) return null
  const { createAddHookMessageChannel } = await import('import-in-the-middle')
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel()
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions)

  const { NodeSDK } = await import('@opentelemetry/sdk-node')
  const { HttpInstrumentation } = await import('@opentelemetry/instrumentation-http')
  const { PinoInstrumentation } = await import('@opentelemetry/instrumentation-pino')
  const sdk = new NodeSDK({
    serviceName: process.env.OTEL_SERVICE_NAME ?? 'purse-ledger-core',
    instrumentations: [
      new HttpInstrumentation({
        // Probes and scrapes would drown the traces that matter.
        ignoreIncomingRequestHook: (request) => /^\/(health|metrics)\b/.test(request.url ?? ''),
      }),
      new PinoInstrumentation(),
    ],
  })
  sdk.start()
  await waitForAllMessagesAcknowledged()
  return sdk
}
