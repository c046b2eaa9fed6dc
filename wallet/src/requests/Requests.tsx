import Alert from '@mui/material/Alert'
import Button from '@mui/material/Button'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import type { PaymentRequest } from '@purse/sdk'
import { useMutation, useQuery } from '@tanstack/react-query'
import { money, onDay } from '../common/money.ts'
import { paymentProblemText, problemText } from '../common/problems.ts'
import { Empty, Failed, Loading } from '../common/states.tsx'
import { withStepUp } from '../common/step_up.ts'
import { purse, queryClient } from '../purse.ts'
import { AskForm } from './AskForm.tsx'

export const requests_key = ['payment-requests'] as const

function usePage(role: 'payer' | 'payee') {
  return useQuery({
    queryKey: [...requests_key, role],
    queryFn: async () => (await purse.paymentRequests.list({ role, limit: 50 }).page()).data,
  })
}

function refreshAll() {
  return Promise.all(
    [requests_key, ['wallets'], ['transfers']].map((queryKey) =>
      queryClient.invalidateQueries({ queryKey })
    )
  )
}

/** Asking people for money, and what people asked of you. */
export default function Requests() {
  const asked = usePage('payer')
  const mine = usePage('payee')
  return (
    <Stack spacing={3}>
      <Typography variant="h2" component="h1">
        Requests
      </Typography>
      <AskForm onAsked={refreshAll} />
      <Paper sx={{ p: 3 }}>
        <Typography variant="h3" component="h2" sx={{ mb: 2 }}>
          Asked of you
        </Typography>
        <RequestList query={asked} role="payer" empty="No one has asked you for money." />
      </Paper>
      <Paper sx={{ p: 3 }}>
        <Typography variant="h3" component="h2" sx={{ mb: 2 }}>
          You asked
        </Typography>
        <RequestList query={mine} role="payee" empty="You haven't asked anyone yet." />
      </Paper>
    </Stack>
  )
}

function RequestList({
  query,
  role,
  empty,
}: {
  query: ReturnType<typeof usePage>
  role: 'payer' | 'payee'
  empty: string
}) {
  if (query.isPending) return <Loading />
  if (query.isError) return <Failed error={query.error} retry={() => void query.refetch()} />
  if (query.data.length === 0) return <Empty>{empty}</Empty>
  return (
    <Stack component="ul" spacing={2} sx={{ listStyle: 'none', p: 0, m: 0 }}>
      {query.data.map((request) => (
        <RequestItem key={request.id} request={request} role={role} />
      ))}
    </Stack>
  )
}

const status_words: Record<PaymentRequest['status'], string> = {
  pending: 'waiting',
  paid: 'paid',
  declined: 'declined',
  cancelled: 'cancelled',
  expired: 'expired',
}

function RequestItem({ request, role }: { request: PaymentRequest; role: 'payer' | 'payee' }) {
  const amount = money(request.amount, request.currency)
  const other = role === 'payer' ? request.payee : request.payer
  const act = useMutation({
    mutationFn: async (action: 'pay' | 'decline' | 'cancel') => {
      if (action === 'pay') await withStepUp(() => purse.paymentRequests.pay(request.id))
      else await purse.paymentRequests[action](request.id)
    },
    onSettled: refreshAll,
  })
  const waiting = request.status === 'pending'
  return (
    <Stack component="li" spacing={1} data-testid={`request-${request.id}`}>
      <Typography sx={{ overflowWrap: 'anywhere' }}>
        {role === 'payer'
          ? `${other?.full_name ?? 'Someone'} asks you for ${amount}`
          : `You asked ${other?.full_name ?? 'someone'} for ${amount}`}
        {request.note ? ` for “${request.note}”` : ''}
      </Typography>
      <Typography color="text.secondary" variant="body2">
        {status_words[request.status]} ·{' '}
        {waiting ? `until ${onDay(request.expires_at)}` : `asked ${onDay(request.created_at)}`}
      </Typography>
      {act.isError && (
        <Alert severity="error">
          {role === 'payer' ? paymentProblemText(act.error) : problemText(act.error)}
        </Alert>
      )}
      {waiting && role === 'payer' && (
        <Stack direction="row" spacing={1}>
          <Button variant="contained" disabled={act.isPending} onClick={() => act.mutate('pay')}>
            Pay {amount}
          </Button>
          <Button disabled={act.isPending} onClick={() => act.mutate('decline')}>
            Decline
          </Button>
        </Stack>
      )}
      {waiting && role === 'payee' && (
        <Button
          sx={{ alignSelf: 'flex-start' }}
          disabled={act.isPending}
          onClick={() => act.mutate('cancel')}
        >
          Cancel request
        </Button>
      )}
    </Stack>
  )
}
