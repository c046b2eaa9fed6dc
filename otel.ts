/**
 * OpenTelemetry for the API process: bin/server.ts imports this first, so
 * the SDK (when enabled by config/otel.ts) is running before anything it
 * instruments is loaded.
 */
import { init } from '@adonisjs/otel/init'

await init(import.meta.dirname)
