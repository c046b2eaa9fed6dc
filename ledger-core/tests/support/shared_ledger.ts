import { LedgerClient } from './ledger_client.ts'
import {
  startLedgerProcess,
  test_api_token,
  type LedgerProcess,
} from '../../src/testing/ledger_process.ts'
import { testDatabaseUrl } from './test_database.ts'

let shared: LedgerProcess | null = null

/** The api suite's ledger-core process, started by its suite setup. */
export function ledger(): LedgerClient {
  if (!shared) throw new Error('the api suite starts the shared ledger process')
  return new LedgerClient(shared.url, test_api_token)
}

export async function startSharedLedger() {
  shared = await startLedgerProcess(testDatabaseUrl(), {
    env: { LEDGER_AMOUNT_MAX: '1000000000000' },
  })
  return async () => {
    await shared?.stop()
    shared = null
  }
}
