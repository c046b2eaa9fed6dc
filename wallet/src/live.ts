import type { PurseEvent, User } from '@purse/sdk'
import { useEffect, useState } from 'react'
import { money } from './common/money.ts'
import { purse, queryClient } from './purse.ts'
import { reloadPerson } from './session.ts'

/**
 * The person's events as they happen (the API's event stream): money that
 * arrives shows at once, without a reload. Balances are read again from
 * the server, never computed here. Returns the latest news to announce.
 */
export function useLiveUpdates(user: User) {
  const [news, setNews] = useState<{ id: string; text: string } | null>(null)
  useEffect(() => {
    const stop = new AbortController()
    void (async () => {
      try {
        for await (const event of purse.events.stream({ signal: stop.signal })) {
          const text = announce(event, user.id)
          if (event.type === 'account.frozen' || event.type === 'account.unfrozen')
            await reloadPerson()
          await queryClient.invalidateQueries({ queryKey: ['wallets'] })
          await queryClient.invalidateQueries({ queryKey: ['transfers'] })
          if (text) setNews({ id: event.id, text })
        }
      } catch {
        // The stream ended with the session (or the server refused it): refetch on focus still works.
      }
    })()
    return () => stop.abort()
  }, [user.id])
  return { news, dismiss: () => setNews(null) }
}

function announce(event: PurseEvent, myId: string): string | null {
  if (event.type === 'account.frozen') return 'Your account was frozen. Contact support.'
  if (event.type === 'account.unfrozen') return 'Your account is active again.'
  if (!('kind' in event.data)) return null
  const transfer = event.data
  if (transfer.receiver?.id !== myId || event.type === 'transfer.reversed') return null
  const amount = money(transfer.amount, transfer.currency)
  if (transfer.kind === 'p2p')
    return `${transfer.sender?.full_name ?? 'Someone'} sent you ${amount}`
  if (transfer.kind === 'deposit') return `${amount} added to your wallet`
  if (transfer.kind === 'refund')
    return `${transfer.sender?.full_name ?? 'Someone'} refunded you ${amount}`
  return null
}
