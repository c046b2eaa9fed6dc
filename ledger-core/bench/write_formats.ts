import { randomUUID } from 'node:crypto'
import pg from 'pg'

/**
 * `node bench/write_formats.ts`: what it costs to hand PostgreSQL the 200
 * entries of a batch of 100 transfers, as one jsonb document read by
 * jsonb_to_recordset (the writer's former way) and as one array per column
 * read by unnest (its way now), times as timestamps or as epoch
 * milliseconds. Interleaved rounds on one connection; wall time per call
 * and this process's CPU per call, so the database's share is the
 * difference.
 */
const client = new pg.Client({
  connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
})
await client.connect()
const now = new Date()
const entries = Array.from({ length: 200 }, (_, i) => ({
  transfer_id: randomUUID(),
  account_id: randomUUID(),
  direction: i % 2 ? 'credit' : 'debit',
  amount: 100 + i,
  balance_after: 100_000 + i,
  account_version: i + 1,
  created_at: now,
}))
const columns = (time: (e: (typeof entries)[number]) => unknown) => [
  entries.map((e) => e.transfer_id),
  entries.map((e) => e.account_id),
  entries.map((e) => e.direction),
  entries.map((e) => e.amount),
  entries.map((e) => e.balance_after),
  entries.map((e) => e.account_version),
  entries.map(time),
]
const ways: Record<string, () => Promise<unknown>> = {
  'jsonb_to_recordset': () =>
    client.query({
      name: 'jsonb',
      text: `SELECT count(*), sum(e.amount) FROM jsonb_to_recordset($1::jsonb->'entries') AS e(transfer_id uuid,
        account_id uuid, direction text, amount bigint, balance_after bigint, account_version bigint,
        created_at timestamptz)`,
      values: [JSON.stringify({ entries })],
    }),
  'unnest, timestamps': () =>
    client.query({
      name: 'unnest_timestamps',
      text: `SELECT count(*), sum(e.amount) FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::int8[],
        $5::int8[], $6::int8[], $7::timestamptz[])
        AS e(transfer_id, account_id, direction, amount, balance_after, account_version, created_at)`,
      values: columns((e) => e.created_at),
    }),
  'unnest, epoch ms': () =>
    client.query({
      name: 'unnest_epoch_ms',
      text: `SELECT count(*), sum(e.amount), max('epoch'::timestamptz + e.created_at * interval '1 millisecond')
        FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::int8[], $5::int8[], $6::int8[], $7::int8[])
        AS e(transfer_id, account_id, direction, amount, balance_after, account_version, created_at)`,
      values: columns((e) => e.created_at.getTime()),
    }),
}
const cpuMs = () => {
  const used = process.cpuUsage()
  return (used.user + used.system) / 1000
}
const calls = 2000
const rows = []
for (const run of Object.values(ways)) await run()
for (let round = 1; round <= 3; round++) {
  for (const [way, run] of Object.entries(ways)) {
    const cpuBefore = cpuMs()
    const started = performance.now()
    for (let i = 0; i < calls; i++) await run()
    const wall = ((performance.now() - started) * 1000) / calls
    const node = ((cpuMs() - cpuBefore) * 1000) / calls
    rows.push({ round, way, wall_us: Math.round(wall), node_cpu_us: Math.round(node) })
  }
}
console.table(rows)
await client.end()
