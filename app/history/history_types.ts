/** The shapes the history module's files share; they import nothing. */

export type TransferKind = 'p2p' | 'deposit' | 'reversal' | 'adjustment' | 'refund'

/** Who a transfer is between, as the history shows it (null: a system account). */
export interface Parties {
  kind: TransferKind
  sender_id: string | null
  receiver_id: string | null
}

/** A row of the app's transfers index. */
export interface HistoryRow {
  id: string
  kind: TransferKind
  sender_id: string | null
  receiver_id: string | null
  amount: number
  currency: string
  description: string | null
  reversal_of: string | null
  created_at: string
}

/** A transfer as the app indexed it, with the reversal that undid it, if any. */
export type TransferRecord = Omit<HistoryRow, 'created_at'> & {
  created_at: Date
  /** The id of the staff reversal that undid it, if one did. */
  reversed_by: string | null
  /** What its receiver gave back so far, in refunds (minor units). */
  refunded_amount: number
}

/** A person as a transfer names them to the other side: id and public name only. */
export interface Party {
  id: string
  full_name: string
}
