import CheckCircle from '@mui/icons-material/CheckCircle'
import Button from '@mui/material/Button'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import type { Transfer } from '@purse/sdk'
import { Link } from 'react-router'
import { money } from '../common/money.ts'
import { useWallets } from '../wallets/queries.ts'

/** Done: what was sent, to whom, and the balance the server has now. */
export function Sent({ transfer, onAnother }: { transfer: Transfer; onAnother: () => void }) {
  const wallets = useWallets()
  const wallet = wallets.data?.find((w) => w.currency === transfer.currency)
  return (
    <Stack role="status" spacing={3} sx={{ alignItems: 'center', textAlign: 'center', pt: 2 }}>
      <CheckCircle color="success" sx={{ fontSize: 72 }} aria-hidden />
      <Typography variant="h2" component="h1" sx={{ overflowWrap: 'anywhere' }}>
        Sent {money(transfer.amount, transfer.currency)} to {transfer.receiver?.full_name ?? 'them'}
      </Typography>
      {wallet && (
        <Typography data-testid="new-balance">
          Your {wallet.currency} balance is now{' '}
          <strong>{money(wallet.balance, wallet.currency)}</strong>
        </Typography>
      )}
      <Stack direction="row" spacing={2}>
        <Button component={Link} to={`/transfers/${transfer.id}`}>
          See the payment
        </Button>
        <Button variant="contained" onClick={onAnother}>
          Send another
        </Button>
      </Stack>
    </Stack>
  )
}
