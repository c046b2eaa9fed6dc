import { workerData } from 'node:worker_threads'
import { Ledger, LedgerError, databaseUnreachable, isConnectionError } from '@purse/ledger-core'

/**
 * The worker thread that runs ledger-core for an embedded install (see
 * EmbeddedLedger). It imports only ledger-core, so it loads the same way
 * from the TypeScript sources and from the build.
 */
const ledger = new Ledger({ databaseUrl: workerData.databaseUrl }).start()

export interface LedgerCall {
  method: string
  args: unknown[]
}

export type LedgerCallResult =
  { ok: true; value: unknown } | { ok: false; code: string; status: number; message: string }

/**
 * One call on this thread's ledger. Failures come back as data, not as
 * thrown errors, so a refusal's code and status cross the thread boundary
 * intact, and a thrown error on the caller's side means the thread itself
 * failed.
 */
export default async function call({ method, args }: LedgerCall): Promise<LedgerCallResult> {
  try {
    return { ok: true, value: await (ledger as any)[method](...args) }
  } catch (error) {
    const refusal = isConnectionError(error) ? databaseUnreachable() : error
    if (refusal instanceof LedgerError)
      return { ok: false, code: refusal.code, status: refusal.status, message: refusal.message }
    // A defect: its stack exists only here.
    console.error('[ledger error] unexpected failure', error)
    return { ok: false, code: 'internal_error', status: 500, message: (error as Error).message }
  }
}

/** Answer everything queued, then close the ledger's connections. */
export async function close() {
  await ledger.close()
}
