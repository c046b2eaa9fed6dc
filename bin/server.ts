// OpenTelemetry first: its import hooks must be in place before anything it instruments loads.
import '../otel.js'
import 'reflect-metadata'
import { Ignitor, prettyPrintError } from '@adonisjs/core'
import type { ApplicationService } from '@adonisjs/core/types'
import { createServerWithRequestIds } from '../start/request_ids.js'

/** The HTTP server of the public API. */
const APP_ROOT = new URL('../', import.meta.url)
const IMPORTER = (filePath: string) => {
  if (filePath.startsWith('./') || filePath.startsWith('../')) {
    return import(new URL(filePath, APP_ROOT).href)
  }
  return import(filePath)
}

/** A stop that takes longer than this is a hung one: exit non-zero so the supervisor knows. */
const shutdown_timeout_ms = 15_000

/**
 * SIGTERM/SIGINT: stop accepting, answer what is in flight, flush ledger
 * batches (embedded mode) and close pools, within a bounded time. Under
 * load, keep-alive connections are never idle at the moment the server
 * closes, so they are closed as each goes idle instead of serving forever.
 */
async function stop(app: ApplicationService) {
  const deadline = setTimeout(() => {
    console.error('shutdown took too long; exiting')
    process.exit(1)
  }, shutdown_timeout_ms)
  deadline.unref()
  const { default: server } = await import('@adonisjs/core/services/server')
  const node = server.getNodeServer()
  const reaper = setInterval(() => node?.closeIdleConnections(), 100)
  // Event streams never end by themselves: end them, or the server waits for them.
  const { closeEventStreams } = await import('#events/event_stream')
  closeEventStreams()
  await app.terminate()
  clearInterval(reaper)
}

new Ignitor(APP_ROOT, { importer: IMPORTER })
  .tap((app) => {
    app.booting(async () => {
      await import('#start/env')
    })
    app.listen('SIGTERM', () => stop(app))
    app.listen('SIGINT', () => stop(app))
  })
  .httpServer()
  .start(createServerWithRequestIds)
  .catch((error) => {
    process.exitCode = 1
    prettyPrintError(error)
  })
