import { workerData } from 'node:worker_threads'
import {
  Ledger,
  LedgerError,
  databaseUnreachable,
  isConnectionError,
  type ErrorCode,
} from '@purse/ledger-core'
import type { LedgerGateway } from './ledger_gateway.ts'

/**
 * The worker thread that runs ledger-core for an embedded install (see
 * EmbeddedLedger). It imports only ledger-core (the gateway import is for
 * types), so it loads the same way from the TypeScript sources and from the
 * build.
 */
const ledger = new Ledger({ databaseUrl: workerData.databaseUrl }).start()

const date = (text?: string) => (text === undefined ? undefined : new Date(text))

/** The gateway's calls, answered by this thread's ledger in the contract's wire shapes. */
const methods = {
  ensureAccount: async (input) => (await ledger.ensureAccount(input)).body,
  getAccount: (id) => ledger.getAccount(id),
  listAccounts: async (ownerRef) =>
    (await ledger.listAccounts({ owner_ref: ownerRef, limit: 100 })).data,
  createTransfer: (input, key) => ledger.createTransfer(input, key),
  getTransfer: (id) => ledger.getTransfer(id),
  listTransferEntries: async (id) => (await ledger.listTransferEntries(id)).data,
  listAccountTransfers: (id, query) => ledger.listAccountTransfers(id, query),
  listAccountEntries: (id, query) =>
    ledger.listAccountEntries(id, { ...query, from: date(query.from), to: date(query.to) }),
  getBalance: (id, asOf) => ledger.getBalance(id, date(asOf)),
  setAccountStatus: async (id, status) => (await ledger.setAccountStatus(id, status)).body,
  postTransfer: (id, key) => ledger.postTransfer(id, {}, key),
  voidTransfer: (id, key) => ledger.voidTransfer(id, key),
  reverseTransfer: (id, input, key) => ledger.reverseTransfer(id, input, key),
  invariants: () => ledger.invariants(),
  health: async () => (await ledger.health()).status === 'ok',
} satisfies Omit<LedgerGateway, 'close'>

export type LedgerMethods = typeof methods
export type LedgerMethod = keyof LedgerMethods

export type LedgerCall = {
  [M in LedgerMethod]: { method: M; args: Parameters<LedgerMethods[M]> }
}[LedgerMethod]

export type LedgerCallResult =
  | { ok: true; value: unknown }
  | { ok: false; code: ErrorCode; status: number; message: string; replayed: boolean }

/**
 * One call on this thread's ledger. Failures come back as data, not as
 * thrown errors, so a refusal's code and status cross the thread boundary
 * intact, and a thrown error on the caller's side means the thread itself
 * failed.
 */
export default async function call({ method, args }: LedgerCall): Promise<LedgerCallResult> {
  try {
    const run = methods[method] as (...input: typeof args) => Promise<unknown>
    return { ok: true, value: await run(...args) }
  } catch (error) {
    const refusal = isConnectionError(error) ? databaseUnreachable() : error
    if (refusal instanceof LedgerError)
      return {
        ok: false,
        code: refusal.code,
        status: refusal.status,
        message: refusal.message,
        replayed: refusal.replayed,
      }
    // A defect: its stack exists only here.
    console.error('[ledger error] unexpected failure', error)
    return {
      ok: false,
      code: 'internal_error',
      status: 500,
      message: (error as Error).message,
      replayed: false,
    }
  }
}

/** Answer everything queued, then close the ledger's connections. */
export async function close() {
  await ledger.close()
}
