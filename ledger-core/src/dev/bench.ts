/** What the benchmarks of ledger-core and of the public API share: the calibration and CPU accounting. */
export { Calibration, tpcb_default, type TpcbSettings } from './calibration.ts'
export { cpuMs, pidsNamed } from './machine.ts'
