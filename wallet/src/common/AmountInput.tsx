import MenuItem from '@mui/material/MenuItem'
import Stack from '@mui/material/Stack'
import TextField from '@mui/material/TextField'
import { decimal_mark } from './money.ts'

interface Props {
  amount: string
  currency: string
  /** The currencies the person holds a wallet in. */
  currencies: string[]
  onAmount: (text: string) => void
  onCurrency: (code: string) => void
  error?: string
  hint?: string
}

/** An amount as a person types it ("12.50", "12,50" where the locale writes that), and its currency. */
export function AmountInput({
  amount,
  currency,
  currencies,
  onAmount,
  onCurrency,
  error,
  hint,
}: Props) {
  const large = { input: { sx: { fontSize: '1.5rem' } } }
  return (
    <Stack direction="row" spacing={2}>
      <TextField
        name="amount"
        label="Amount"
        value={amount}
        onChange={(e) => onAmount(e.target.value)}
        error={!!error}
        helperText={error ?? hint}
        placeholder={`0${decimal_mark}00`}
        slotProps={{ ...large, htmlInput: { inputMode: 'decimal', autoComplete: 'off' } }}
        sx={{ flex: 1 }}
        required
      />
      <TextField
        select
        name="currency"
        label="Currency"
        value={currency}
        onChange={(e) => onCurrency(e.target.value)}
        slotProps={large}
        sx={{ width: 130 }}
      >
        {currencies.map((code) => (
          <MenuItem key={code} value={code}>
            {code}
          </MenuItem>
        ))}
      </TextField>
    </Stack>
  )
}
