import Button from '@mui/material/Button'
import Stack from '@mui/material/Stack'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import type { User, Wallet } from '@purse/sdk'
import { useState } from 'react'
import { AmountInput } from '../common/AmountInput.tsx'
import { money } from '../common/money.ts'
import { characters, check, type Draft, type Limits, type Payment } from './draft.ts'

interface Props {
  user: User
  draft: Draft
  wallets: Wallet[]
  limits: Limits
  onChange: (draft: Draft) => void
  onReview: (payment: Payment) => void
}

/** Who, how much, in which currency, what for. Checked on "Review", not while typing. */
export function SendForm({ user, draft, wallets, limits, onChange, onReview }: Props) {
  const [errors, setErrors] = useState<Partial<Record<keyof Draft, string>>>({})
  const wallet = wallets.find((w) => w.currency === draft.currency)
  const change = (field: keyof Draft, value: string) => {
    onChange({ ...draft, [field]: value })
    setErrors({ ...errors, [field]: undefined })
  }
  const used = characters(draft.description)
  return (
    <Stack
      component="form"
      spacing={3}
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        const checked = check(draft, limits, user.email)
        if ('errors' in checked) return setErrors(checked.errors)
        onReview(checked.payment)
      }}
    >
      <Typography variant="h2" component="h1">
        Send money
      </Typography>
      <TextField
        name="to"
        label="To (email)"
        type="email"
        autoComplete="email"
        inputMode="email"
        value={draft.to}
        onChange={(e) => change('to', e.target.value)}
        error={!!errors.to}
        helperText={errors.to}
        required
      />
      <AmountInput
        amount={draft.amount}
        currency={draft.currency}
        currencies={wallets.map((w) => w.currency)}
        onAmount={(text) => change('amount', text)}
        onCurrency={(code) => change('currency', code)}
        error={errors.amount}
        hint={wallet && `${money(wallet.available_balance, wallet.currency)} available`}
      />
      <TextField
        name="description"
        label="What's it for? (optional)"
        value={draft.description}
        onChange={(e) => change('description', e.target.value)}
        error={!!errors.description}
        helperText={errors.description ?? `${used} / ${limits.descriptionMax}`}
        multiline
        minRows={2}
      />
      <Button type="submit" variant="contained" size="large">
        Review
      </Button>
    </Stack>
  )
}
