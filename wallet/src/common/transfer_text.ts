import type { Transfer } from '@purse/sdk'

/** How a transfer reads from one person's side: who it was with and which way the money went. */
export function fromMySide(transfer: Transfer, myId: string) {
  const incoming = transfer.receiver?.id === myId
  const other = incoming ? transfer.sender : transfer.receiver
  const party =
    transfer.kind === 'deposit'
      ? 'Added money'
      : transfer.kind === 'adjustment'
        ? 'Balance correction by Purse'
        : (other?.full_name ?? 'Purse')
  const title =
    transfer.kind === 'reversal'
      ? `Reversal · ${party}`
      : transfer.kind === 'refund'
        ? `Refund · ${party}`
        : party
  return { incoming, title, sign: incoming ? '+' : '−' }
}
