import db from '@adonisjs/lucid/services/db'
import type { DatabaseQueryBuilderContract } from '@adonisjs/lucid/types/querybuilder'
import { ApiError } from '#exceptions/api_error'
import type { LedgerTransfer } from '#ledger/ledger_gateway'
import type { HistoryRow, Parties, Party, TransferRecord } from '#history/history_types'
import { decodeCursor, pageOf } from '#platform/time_pages'

export type Direction = 'sent' | 'received' | 'all'

/** A person's own history: one transfer, or pages of them newest first. */
export class PersonHistory {
  async find(personId: string, id: string): Promise<TransferRecord> {
    const row = await withReversal(db.from('transfers'))
      .where('id', id)
      .where((q) => q.where('sender_id', personId).orWhere('receiver_id', personId))
      .first()
    // The same answer whether it does not exist or belongs to someone else.
    if (!row) throw new ApiError('not_found', 'No such transfer')
    return toRecord(row)
  }

  async list(personId: string, direction: Direction, limit: number, cursor?: string) {
    const page = pageOf(
      await personTransfers(personId, direction, limit, decodeCursor(cursor)),
      limit
    )
    return { data: page.data.map(toRecord), next_cursor: page.next_cursor }
  }
}

/** The public names of these people, for the transfers that name them. */
export async function namesOf(ids: (string | null)[]): Promise<Map<string, Party>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))]
  const people: Party[] = wanted.length
    ? await db.from('users').whereIn('id', wanted).select('id', 'full_name')
    : []
  return new Map(people.map((p) => [p.id, { id: p.id, full_name: p.full_name }]))
}

/** The kind and description of each indexed transfer among `ids`, for statements. */
export async function describeTransfers(ids: string[]) {
  const rows: Pick<HistoryRow, 'id' | 'kind' | 'description'>[] = ids.length
    ? await db.from('transfers').whereIn('id', ids).select('id', 'kind', 'description')
    : []
  return new Map(rows.map((row) => [row.id, row]))
}

/** Which of these transfer ids the index holds. */
export async function indexedIds(ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set()
  const rows = await db.from('transfers').whereIn('id', ids).select('id')
  return new Set(rows.map((row) => row.id as string))
}

/** A transfer ledger-core just made, as the index records it (nothing has reversed it yet). */
export function recordOfTransfer(t: LedgerTransfer, parties: Parties): TransferRecord {
  return {
    id: t.id,
    kind: parties.kind,
    sender_id: parties.sender_id,
    receiver_id: parties.receiver_id,
    amount: t.amount,
    currency: t.currency,
    description: t.description,
    reversal_of: t.reversal_of,
    created_at: new Date(t.created_at),
    reversed_by: null,
    refunded_amount: 0,
  }
}

export function toRecord(row: any): TransferRecord {
  return {
    id: row.id,
    kind: row.kind,
    sender_id: row.sender_id,
    receiver_id: row.receiver_id,
    amount: Number(row.amount),
    currency: row.currency,
    description: row.description,
    reversal_of: row.reversal_of ?? null,
    created_at: row.created_at,
    reversed_by: row.reversed_by ?? null,
    refunded_amount: Number(row.refunded_amount ?? 0),
  }
}

/**
 * The transfers a person is part of, newest first, with their reversals:
 * at most a page (`limit` + 1) after the cursor, for `pageOf`. Each
 * side of a payment reads a page's worth from its own (person,
 * created_at, id) index, so a page costs the same however long the
 * history is; both sides together are merged from those two pages, never
 * from every row the person ever had, sorted. `narrow` adds a caller's
 * filters to each side.
 */
export function personTransfers(
  personId: string,
  direction: Direction,
  limit: number,
  after: [string, string] | undefined,
  narrow: (query: DatabaseQueryBuilderContract) => DatabaseQueryBuilderContract = (q) => q
) {
  const side = (column: 'sender_id' | 'receiver_id') => {
    const query = narrow(db.from('transfers').where(column, personId))
    if (after) query.whereRaw('(created_at, id) < (?, ?)', after)
    return db.from(
      query
        .orderBy(newest_first)
        .limit(limit + 1)
        .as(column)
    )
  }
  // No transfer is between a person and themself, so no row is on both sides.
  const source =
    direction === 'sent'
      ? side('sender_id')
      : direction === 'received'
        ? side('receiver_id')
        : side('sender_id').unionAll(side('receiver_id'))
  return withReversal(db.from(source.as('transfers')))
    .orderBy(newest_first)
    .limit(limit + 1)
}

export const newest_first = [
  { column: 'created_at', order: 'desc' as const },
  { column: 'id', order: 'desc' as const },
]

/**
 * Select a transfers query's rows with the id of the staff reversal that
 * undid each, if any, and what its receiver refunded of it.
 */
export function withReversal(query: DatabaseQueryBuilderContract) {
  return query.select(
    'transfers.*',
    db.raw(
      `(SELECT r.id FROM transfers r WHERE r.reversal_of = transfers.id AND r.kind = 'reversal' LIMIT 1) AS reversed_by`
    ),
    db.raw(
      `(SELECT coalesce(sum(r.amount), 0) FROM transfers r WHERE r.reversal_of = transfers.id AND r.kind = 'refund') AS refunded_amount`
    )
  )
}
