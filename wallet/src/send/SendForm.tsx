import Button from '@mui/material/Button'
import MenuItem from '@mui/material/MenuItem'
import Stack from '@mui/material/Stack'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import type { User, Wallet } from '@purse/sdk'
import { useState } from 'react'
import { decimal_mark, money } from '../common/money.ts'
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
  const set = (field: keyof Draft) => (e: { target: { value: string } }) => {
    onChange({ ...draft, [field]: e.target.value })
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
        onChange={set('to')}
        error={!!errors.to}
        helperText={errors.to}
        required
      />
      <Stack direction="row" spacing={2}>
        <TextField
          name="amount"
          label="Amount"
          value={draft.amount}
          onChange={set('amount')}
          error={!!errors.amount}
          helperText={
            errors.amount ??
            (wallet && `${money(wallet.available_balance, wallet.currency)} available`)
          }
          placeholder={`0${decimal_mark}00`}
          slotProps={{
            htmlInput: { inputMode: 'decimal', autoComplete: 'off' },
            input: { sx: { fontSize: '1.5rem' } },
          }}
          sx={{ flex: 1 }}
          required
        />
        <TextField
          select
          name="currency"
          label="Currency"
          value={draft.currency}
          onChange={set('currency')}
          slotProps={{ input: { sx: { fontSize: '1.5rem' } } }}
          sx={{ width: 130 }}
        >
          {wallets.map((w) => (
            <MenuItem key={w.currency} value={w.currency}>
              {w.currency}
            </MenuItem>
          ))}
        </TextField>
      </Stack>
      <TextField
        name="description"
        label="What's it for? (optional)"
        value={draft.description}
        onChange={set('description')}
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
