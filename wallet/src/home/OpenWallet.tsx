import Button from '@mui/material/Button'
import MenuItem from '@mui/material/MenuItem'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { currencyName } from '../common/money.ts'
import { problemText } from '../common/problems.ts'
import { purse } from '../purse.ts'

/** Open a wallet in a currency the person does not hold yet (the API opens it once, however often asked). */
export function OpenWallet({ held, currencies }: { held: string[]; currencies: string[] }) {
  const choices = currencies.filter((c) => !held.includes(c))
  const [currency, setCurrency] = useState('')
  const queries = useQueryClient()
  const open = useMutation({
    mutationFn: (code: string) => purse.wallets.open(code),
    onSuccess: () => {
      setCurrency('')
      return queries.invalidateQueries({ queryKey: ['wallets'] })
    },
  })
  if (choices.length === 0) return null
  return (
    <Paper component="section" aria-labelledby="open-title" sx={{ p: 2 }}>
      <Typography id="open-title" variant="h3" component="h2" sx={{ mb: 2 }}>
        Hold another currency
      </Typography>
      <Stack
        component="form"
        direction="row"
        spacing={2}
        onSubmit={(e) => {
          e.preventDefault()
          if (currency) open.mutate(currency)
        }}
      >
        <TextField
          select
          label="Currency"
          value={currency}
          onChange={(e) => setCurrency(e.target.value)}
          error={open.isError}
          helperText={open.isError ? problemText(open.error) : undefined}
        >
          {choices.map((code) => (
            <MenuItem key={code} value={code}>
              {currencyName(code)} ({code})
            </MenuItem>
          ))}
        </TextField>
        <Button
          type="submit"
          variant="outlined"
          disabled={!currency || open.isPending}
          sx={{ flexShrink: 0 }}
        >
          Open wallet
        </Button>
      </Stack>
    </Paper>
  )
}
