import Alert from '@mui/material/Alert'
import Button from '@mui/material/Button'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import type { Claim } from '@purse/sdk'
import { useMutation, useQuery } from '@tanstack/react-query'
import { money, onDay } from '../common/money.ts'
import { paymentProblemText } from '../common/problems.ts'
import { purse, queryClient } from '../purse.ts'

export const claims_key = ['claims'] as const

const words: Record<Claim['status'], string> = {
  pending: 'waiting to be claimed',
  claimed: 'claimed',
  cancelled: 'cancelled: back in your wallet',
  expired: 'not claimed in time: back in your wallet',
}

/** Money sent to people not on Purse yet: what still waits, and what became of the rest. */
export function Claims() {
  const claims = useQuery({ queryKey: claims_key, queryFn: () => purse.claims.list() })
  if (!claims.data?.length) return null
  return (
    <Paper sx={{ p: 2 }}>
      <Typography variant="h3" component="h2" sx={{ mb: 1 }}>
        Sent to people not on Purse yet
      </Typography>
      <Stack component="ul" spacing={2} sx={{ listStyle: 'none', p: 0, m: 0 }}>
        {claims.data.map((claim) => (
          <ClaimItem key={claim.id} claim={claim} />
        ))}
      </Stack>
    </Paper>
  )
}

function ClaimItem({ claim }: { claim: Claim }) {
  const cancel = useMutation({
    mutationFn: () => purse.claims.cancel(claim.id),
    onSettled: () =>
      Promise.all(
        [claims_key, ['wallets']].map((queryKey) => queryClient.invalidateQueries({ queryKey }))
      ),
  })
  return (
    <Stack component="li" spacing={1} data-testid={`claim-${claim.id}`}>
      <Typography sx={{ overflowWrap: 'anywhere' }}>
        {money(claim.amount, claim.currency)} to {claim.email}: {words[claim.status]}
      </Typography>
      {claim.status === 'pending' && (
        <>
          <Typography variant="body2" color="text.secondary">
            Comes back to you on {onDay(claim.expires_at)} if they don't claim it.
          </Typography>
          {cancel.isError && <Alert severity="error">{paymentProblemText(cancel.error)}</Alert>}
          <Button
            sx={{ alignSelf: 'flex-start' }}
            disabled={cancel.isPending}
            onClick={() => cancel.mutate()}
          >
            Cancel and take it back
          </Button>
        </>
      )}
    </Stack>
  )
}
