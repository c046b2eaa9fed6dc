/**
 * Every limit of the ledger in one place, unit last. The HTTP contract
 * repeats the ones a caller can hit; these are what the code enforces.
 */
export const amount_max_default = 1_000_000_000_000 // 10 billion USD in cents
export const amount_max_absolute = Number.MAX_SAFE_INTEGER
export const batch_transfer_count_max = 100
export const writer_batch_op_count_max = 512
/**
 * Transfers one writer statement takes at most (an atomic batch counts each
 * of its transfers; one that is larger still runs, alone). Measured: merged
 * statements of 800 transfers cost PostgreSQL ~50 % more CPU per transfer
 * than statements of 100–200 (ledger-core/BENCHMARKS.md).
 */
export const writer_batch_transfer_count_max = 200
export const writer_queue_op_count_max = 20_000
export const writer_retry_count_max = 5
export const hold_timeout_ms_min = 1_000
export const hold_timeout_ms_max = 7 * 24 * 3600 * 1000
export const page_limit_default = 25
export const page_limit_max = 100
export const idempotency_key_ttl_hours_min = 24
export const expiry_sweep_interval_ms = 1_000
export const expiry_sweep_count_max = 500
export const request_body_bytes_max = 64 * 1024
export const shutdown_timeout_ms = 10_000
/** Nesting of arrays and objects in a request body; the deepest request needs 4. */
export const json_depth_max = 32
/**
 * The most batches a writer runs under locks from the start, without trying
 * an optimistic attempt, while another process keeps writing its accounts.
 */
export const writer_locked_batch_count_max = 64
