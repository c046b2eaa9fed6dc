import { configFromEnv } from './config.ts'
import { shutdown_timeout_ms } from './domain/limits.ts'
import { Ledger } from './engine/ledger.ts'
import { buildServer } from './http/server.ts'

/**
 * The ledger-core process: configuration from the environment, one Ledger,
 * one HTTP server. On SIGTERM/SIGINT it stops accepting, answers what is in
 * flight (including queued writer batches) and exits within a bounded time.
 */
export async function run(hooks: { onStopped?: () => Promise<void> | undefined } = {}) {
  const config = configFromEnv()
  const ledger = new Ledger({
    databaseUrl: config.databaseUrl,
    amountMax: config.amountMax,
    idempotencyTtlHours: config.idempotencyTtlHours,
    poolMax: config.poolMax,
    writerMode: config.writerMode,
    // Only the message and code: a driver error object carries connection details.
    log: (level, message, error) =>
      server.log[level](
        { err: { message: (error as Error)?.message, code: (error as any)?.code } },
        message
      ),
  })
  const server = await buildServer({
    ledger,
    apiTokens: config.apiTokens,
    logLevel: config.logLevel,
  })
  ledger.start()
  await server.listen({ host: config.host, port: config.port })

  let stopping = false
  async function stop(signal: string) {
    if (stopping) return
    stopping = true
    server.log.info({ signal }, 'shutting down')
    const deadline = setTimeout(() => {
      server.log.error('shutdown took too long; exiting')
      process.exit(1)
    }, shutdown_timeout_ms)
    deadline.unref()
    // Keep-alive connections that finish their last request become idle after
    // close() began; close those too, or close() waits for their timeout.
    const reaper = setInterval(() => server.server.closeIdleConnections(), 100)
    await server.close()
    clearInterval(reaper)
    await ledger.close()
    // Spans of the last requests are flushed before the process goes.
    await hooks.onStopped?.()
    server.log.info('stopped cleanly')
    process.exit(0)
  }
  process.on('SIGTERM', () => void stop('SIGTERM'))
  process.on('SIGINT', () => void stop('SIGINT'))
}
