import { useQuery } from '@tanstack/react-query'
import { purse } from '../purse.ts'

/** Every wallet with its balance, as the server has it now. */
export function useWallets() {
  return useQuery({ queryKey: ['wallets'], queryFn: () => purse.wallets.list() })
}

/** What this Purse allows (currencies, sandbox deposits, limits); it changes only with a deploy. */
export function useCapabilities() {
  return useQuery({
    queryKey: ['capabilities'],
    queryFn: () => purse.capabilities(),
    staleTime: 60 * 60 * 1000,
  })
}

/** The newest transfers, for Home. */
export function useLatestTransfers(count: number) {
  return useQuery({
    queryKey: ['transfers', 'latest', count],
    queryFn: async () => (await purse.transfers.list({ limit: count }).page()).data,
  })
}
