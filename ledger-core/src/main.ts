import { startTelemetry } from './telemetry.ts'

/**
 * The ledger-core process. Telemetry starts first; the process (HTTP server,
 * ledger, signal handling) is loaded after it so its hooks see every module.
 */
const telemetry = await startTelemetry()
const { run } = await import('./process.ts')
await run({ onStopped: () => telemetry?.shutdown() })
