/**
 * OpenTelemetry for the API process: bin/server.ts imports this first, so
 * the SDK is running before anything it instruments is loaded. Off unless
 * OTEL_EXPORTER_OTLP_ENDPOINT is set; then not even the import hooks are
 * registered (every later import would pay for them).
 */
if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT) {
  const { init } = await import('@adonisjs/otel/init')
  await init(import.meta.dirname)
}
