import Alert from '@mui/material/Alert'
import Button from '@mui/material/Button'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { PurseApiError, type Claim, type Transfer, type Wallet } from '@purse/sdk'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useRef } from 'react'
import { money } from '../common/money.ts'
import { paymentProblemText } from '../common/problems.ts'
import { withStepUp } from '../common/step_up.ts'
import { purse } from '../purse.ts'
import type { Payment } from './draft.ts'

interface Props {
  payment: Payment
  idempotencyKey: string
  wallets: Wallet[]
  onEdit: () => void
  onNewKey: () => void
  onSent: (transfer: Transfer) => void
  onWaiting: (claim: Claim) => void
}

/** Answers that may come from a payment that still goes through: retried with the same key. */
const undecided = new Set([
  'idempotency_key_in_use',
  'rate_limited',
  'ledger_unavailable',
  'service_unavailable',
  'internal_error',
])

/** The address has no account: it may be sent for its owner to claim. */
function notOnPurse(error: unknown): boolean {
  return error instanceof PurseApiError && error.code === 'receiver_not_found'
}

/** A refusal is final for this key (a retry would replay it): the next try is a new payment. */
function refused(error: unknown): boolean {
  return error instanceof PurseApiError && error.status < 500 && !undecided.has(error.code)
}

/** "Send $12.50 to bob@…": the one step that moves money, said in words first. */
export function Review({
  payment,
  idempotencyKey,
  wallets,
  onEdit,
  onNewKey,
  onSent,
  onWaiting,
}: Props) {
  const queries = useQueryClient()
  // A second click before React re-renders must not start a second request.
  const sending = useRef(false)
  const send = useMutation({
    // `claimable`: the person said yes to sending to an address with no account yet.
    mutationFn: (claimable: boolean) =>
      withStepUp(() =>
        claimable
          ? purse.transfers.createClaimable(
              { ...payment, receiver_email: payment.receiver_email },
              { idempotencyKey }
            )
          : purse.transfers.create(payment, { idempotencyKey })
      ),
    onSuccess: async (result) => {
      await queries.invalidateQueries({ queryKey: ['wallets'] })
      await queries.invalidateQueries({ queryKey: ['transfers'] })
      await queries.invalidateQueries({ queryKey: ['claims'] })
      if ('email' in result) onWaiting(result)
      else onSent(result)
    },
    onError: (error) => {
      if (refused(error)) onNewKey()
    },
    onSettled: () => {
      sending.current = false
    },
  })
  const wallet = wallets.find((w) => w.currency === payment.currency)
  const amount = money(payment.amount, payment.currency)
  return (
    <Stack spacing={3}>
      <Typography variant="h2" component="h1">
        Check and send
      </Typography>
      <Paper sx={{ p: 3 }}>
        <Typography variant="h3" component="p" sx={{ overflowWrap: 'anywhere' }}>
          Send {amount} to {payment.receiver_email}
        </Typography>
        {payment.description && (
          <Typography sx={{ mt: 1, overflowWrap: 'anywhere' }} color="text.secondary">
            For: {payment.description}
          </Typography>
        )}
        {wallet && (
          <Typography sx={{ mt: 2 }}>
            From your {payment.currency} wallet ({money(wallet.available_balance, wallet.currency)}{' '}
            available)
          </Typography>
        )}
      </Paper>
      {send.isError && !notOnPurse(send.error) && (
        <Alert severity="error" role="alert">
          {paymentProblemText(send.error)}
        </Alert>
      )}
      {send.isError && notOnPurse(send.error) && (
        <Alert
          severity="info"
          role="alert"
          action={
            <Button
              color="inherit"
              disabled={send.isPending}
              onClick={() => {
                if (sending.current) return
                sending.current = true
                send.mutate(true)
              }}
            >
              Send it anyway
            </Button>
          }
        >
          No one on Purse has this address yet. Send it anyway: we'll email them, and the money
          waits for them to sign up. You can cancel until then, and it comes back to you if they
          don't claim it.
        </Alert>
      )}
      <Stack direction="row" spacing={2}>
        <Button onClick={onEdit} disabled={send.isPending} sx={{ flex: 1 }} size="large">
          Edit
        </Button>
        <Button
          variant="contained"
          size="large"
          sx={{ flex: 2 }}
          disabled={send.isPending}
          onClick={() => {
            if (sending.current) return
            sending.current = true
            send.mutate(false)
          }}
        >
          {send.isPending
            ? 'Sending…'
            : send.isError
              ? `Try again: send ${amount}`
              : `Send ${amount}`}
        </Button>
      </Stack>
    </Stack>
  )
}
