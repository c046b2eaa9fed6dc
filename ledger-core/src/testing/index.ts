/**
 * @purse/ledger-core/testing: what the app's tests and benches use to run
 * and check ledger-core: real processes, a contract checker, a TCP proxy
 * that can drop connections, and hostile inputs for fuzzing.
 */
export { ContractChecker } from './contract_checker.ts'
export { startLedgerProcess, test_api_token, type LedgerProcess } from './ledger_process.ts'
export { startTcpProxy, type TcpProxy } from './tcp_proxy.ts'
export {
  hostileCursor,
  hostileHeaderValue,
  hostileInstant,
  hostilePathSegment,
  hostileText,
  hostileValues,
} from './hostile.ts'
