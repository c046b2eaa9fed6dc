import Alert from '@mui/material/Alert'
import Button from '@mui/material/Button'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import { parseAmount, type Transfer } from '@purse/sdk'
import { useMutation } from '@tanstack/react-query'
import { useRef, useState } from 'react'
import { locale, money } from '../common/money.ts'
import { paymentProblemText } from '../common/problems.ts'
import { withStepUp } from '../common/step_up.ts'
import { purse, queryClient } from '../purse.ts'

/**
 * Give some or all of a payment back to the person who paid. One key per
 * refund the person means to make: a retry after no answer refunds once.
 */
export function RefundForm({ transfer, payer }: { transfer: Transfer; payer: string }) {
  const left = transfer.amount - transfer.refunded_amount
  const [amount, setAmount] = useState('')
  const [error, setError] = useState<string>()
  const key = useRef(crypto.randomUUID())
  const refund = useMutation({
    mutationFn: (body: { amount: number; reason?: string }) =>
      withStepUp(() => purse.transfers.refund(transfer.id, body, { idempotencyKey: key.current })),
    onSuccess: async () => {
      key.current = crypto.randomUUID()
      setAmount('')
      await Promise.all(
        [['transfers'], ['wallets']].map((queryKey) => queryClient.invalidateQueries({ queryKey }))
      )
    },
    onError: (failure) => {
      // A refusal is final for its key: the next try is a new refund.
      if (!(failure instanceof Error && failure.name === 'PurseNetworkError'))
        key.current = crypto.randomUUID()
    },
  })
  if (left <= 0) return null
  return (
    <Paper sx={{ p: 3 }}>
      <Stack
        component="form"
        spacing={2}
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          const reason = String(new FormData(e.currentTarget).get('reason') ?? '').trim()
          let minor = left
          if (amount.trim()) {
            try {
              minor = parseAmount(amount, transfer.currency, locale)
            } catch {
              return setError(`Write an amount up to ${money(left, transfer.currency)}`)
            }
          }
          if (minor <= 0 || minor > left)
            return setError(`You can refund up to ${money(left, transfer.currency)}`)
          refund.mutate({ amount: minor, ...(reason ? { reason } : {}) })
        }}
      >
        <Typography variant="h3" component="h2">
          Refund {payer}
        </Typography>
        {refund.isSuccess && (
          <Alert severity="success">
            Refunded {money(refund.data.amount, refund.data.currency)} to {payer}.
          </Alert>
        )}
        {refund.isError && <Alert severity="error">{paymentProblemText(refund.error)}</Alert>}
        <TextField
          name="amount"
          label="Amount to refund"
          value={amount}
          onChange={(e) => {
            setAmount(e.target.value)
            setError(undefined)
          }}
          placeholder={money(left, transfer.currency)}
          error={!!error}
          helperText={error ?? `Up to ${money(left, transfer.currency)}; all of it when left empty`}
          slotProps={{ htmlInput: { inputMode: 'decimal', autoComplete: 'off' } }}
        />
        <TextField
          name="reason"
          label="Reason (optional)"
          slotProps={{ htmlInput: { maxLength: 280 } }}
        />
        <Button type="submit" variant="outlined" disabled={refund.isPending}>
          {refund.isPending ? 'Refunding…' : 'Refund'}
        </Button>
      </Stack>
    </Paper>
  )
}
