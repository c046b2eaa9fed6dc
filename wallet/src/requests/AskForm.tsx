import Alert from '@mui/material/Alert'
import Button from '@mui/material/Button'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import { parseAmount } from '@purse/sdk'
import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import { AmountInput } from '../common/AmountInput.tsx'
import { locale, money } from '../common/money.ts'
import { fieldErrors, problemText } from '../common/problems.ts'
import { purse } from '../purse.ts'
import { useWallets } from '../wallets/queries.ts'

/** Who, how much, what for: the person asked sees it under their requests. */
export function AskForm({ onAsked }: { onAsked: () => unknown }) {
  const wallets = useWallets()
  const [currency, setCurrency] = useState('USD')
  const [amount, setAmount] = useState('')
  const [amountError, setAmountError] = useState<string>()
  const ask = useMutation({
    mutationFn: (body: { payer_email: string; amount: number; currency: string; note?: string }) =>
      purse.paymentRequests.create(body),
    onSuccess: onAsked,
  })
  const errors = fieldErrors(ask.error)
  return (
    <Paper sx={{ p: 3 }}>
      <Stack
        component="form"
        spacing={2}
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          const element = e.currentTarget
          const form = new FormData(element)
          let minor: number
          try {
            minor = parseAmount(amount, currency, locale)
            if (minor <= 0) throw new RangeError('zero')
          } catch {
            return setAmountError(`Write an amount, like ${money(1250, currency)}`)
          }
          const note = String(form.get('note') ?? '').trim()
          ask.mutate(
            {
              payer_email: String(form.get('payer_email')),
              amount: minor,
              currency,
              ...(note ? { note } : {}),
            },
            {
              // Asked: a blank form for the next one.
              onSuccess: () => {
                element.reset()
                setAmount('')
              },
            }
          )
        }}
      >
        <Typography variant="h3" component="h2">
          Ask for money
        </Typography>
        {ask.isSuccess && (
          <Alert severity="success">
            Asked {ask.data.payer?.full_name} for {money(ask.data.amount, ask.data.currency)}.
          </Alert>
        )}
        {ask.isError && <Alert severity="error">{problemText(ask.error)}</Alert>}
        <TextField
          name="payer_email"
          label="From (email)"
          type="email"
          autoComplete="email"
          required
          error={!!errors.payer_email}
          helperText={errors.payer_email}
        />
        <AmountInput
          amount={amount}
          currency={currency}
          currencies={wallets.data?.map((w) => w.currency) ?? ['USD']}
          onAmount={(text) => {
            setAmount(text)
            setAmountError(undefined)
          }}
          onCurrency={setCurrency}
          error={amountError ?? errors.amount}
        />
        <TextField
          name="note"
          label="What's it for?"
          slotProps={{ htmlInput: { maxLength: 280 } }}
          error={!!errors.note}
          helperText={errors.note}
        />
        <Button type="submit" variant="contained" disabled={ask.isPending}>
          {ask.isPending ? 'Asking…' : 'Ask'}
        </Button>
      </Stack>
    </Paper>
  )
}
