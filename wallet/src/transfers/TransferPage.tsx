import Alert from '@mui/material/Alert'
import Button from '@mui/material/Button'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import type { User } from '@purse/sdk'
import { useQuery } from '@tanstack/react-query'
import { Link, useParams } from 'react-router'
import { money, when } from '../common/money.ts'
import { isNotFound } from '../common/problems.ts'
import { Failed, Loading } from '../common/states.tsx'
import { fromMySide } from '../common/transfer_text.ts'
import { RefundForm } from './RefundForm.tsx'
import { purse } from '../purse.ts'

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** One payment, by its link. Someone else's, or no such id: the same "not found". */
export default function TransferPage({ user }: { user: User }) {
  const id = useParams().id ?? ''
  const transfer = useQuery({
    queryKey: ['transfers', 'one', id],
    queryFn: () => purse.transfers.get(id),
    enabled: uuid.test(id),
  })
  if (!uuid.test(id) || isNotFound(transfer.error))
    return (
      <Stack spacing={2} sx={{ alignItems: 'flex-start' }}>
        <Typography variant="h2" component="h1">
          Payment not found
        </Typography>
        <Typography>There's no payment of yours at this link.</Typography>
        <Button component={Link} to="/history" variant="contained">
          Your history
        </Button>
      </Stack>
    )
  if (transfer.isPending) return <Loading label="Loading the payment" />
  if (transfer.isError)
    return <Failed error={transfer.error} retry={() => void transfer.refetch()} />
  const t = transfer.data
  const side = fromMySide(t, user.id)
  const other = side.incoming ? t.sender : t.receiver
  return (
    <Stack spacing={3}>
      <Typography variant="h2" component="h1" sx={{ overflowWrap: 'anywhere' }}>
        {side.title}
      </Typography>
      <Paper sx={{ p: 3 }}>
        <Typography
          variant="h1"
          component="p"
          data-testid="transfer-amount"
          color={side.incoming ? 'success.main' : 'text.primary'}
        >
          {side.sign}
          {money(t.amount, t.currency)}
        </Typography>
        <Stack
          component="dl"
          spacing={1}
          sx={{
            'mt': 2,
            '& dt': { color: 'text.secondary' },
            '& dd': { m: 0, overflowWrap: 'anywhere' },
          }}
        >
          {other && t.kind === 'p2p' && (
            <>
              <dt>{side.incoming ? 'From' : 'To'}</dt>
              <dd>{other.full_name}</dd>
            </>
          )}
          {t.description && (
            <>
              <dt>For</dt>
              <dd data-testid="transfer-description">{t.description}</dd>
            </>
          )}
          <dt>When</dt>
          <dd>{when(t.created_at)}</dd>
          <dt>Reference</dt>
          <dd>{t.id}</dd>
        </Stack>
      </Paper>
      {t.status === 'reversed' && (
        <Alert severity="info">Purse reversed this payment: the money went back.</Alert>
      )}
      {t.refunded_amount > 0 && (
        <Alert severity="info" data-testid="refunded">
          {money(t.refunded_amount, t.currency)} of this payment was refunded.
        </Alert>
      )}
      {t.reversal_of && (
        <Button
          component={Link}
          to={`/transfers/${t.reversal_of}`}
          sx={{ alignSelf: 'flex-start' }}
        >
          {t.kind === 'refund' ? 'See the payment this refunded' : 'See the payment this reversed'}
        </Button>
      )}
      {side.incoming && t.kind === 'p2p' && other && t.status !== 'reversed' && (
        <RefundForm transfer={t} payer={other.full_name} />
      )}
    </Stack>
  )
}
