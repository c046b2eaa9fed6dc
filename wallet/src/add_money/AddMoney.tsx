import Alert from '@mui/material/Alert'
import Button from '@mui/material/Button'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { parseAmount, type Transfer } from '@purse/sdk'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { Link } from 'react-router'
import { AmountInput } from '../common/AmountInput.tsx'
import { decimal_mark, locale, money } from '../common/money.ts'
import { paymentProblemText } from '../common/problems.ts'
import { Failed, Loading } from '../common/states.tsx'
import { purse } from '../purse.ts'
import { useCapabilities, useWallets } from '../wallets/queries.ts'

/**
 * Test money, where the server allows sandbox deposits (never in production).
 * One Idempotency-Key per amount confirmed: a retry adds it once.
 */
export default function AddMoney() {
  const capabilities = useCapabilities()
  const wallets = useWallets()
  const queries = useQueryClient()
  const [amount, setAmount] = useState('')
  const [currency, setCurrency] = useState<string | null>(null)
  const [key, setKey] = useState(() => crypto.randomUUID())
  const [invalid, setInvalid] = useState<string | null>(null)
  const [added, setAdded] = useState<Transfer | null>(null)
  const deposit = useMutation({
    mutationFn: (body: { amount: number; currency: string }) =>
      purse.deposits.create(body, { idempotencyKey: key }),
    onSuccess: async (transfer) => {
      setAdded(transfer)
      setAmount('')
      setKey(crypto.randomUUID())
      await queries.invalidateQueries({ queryKey: ['wallets'] })
      await queries.invalidateQueries({ queryKey: ['transfers'] })
    },
  })
  if (capabilities.isPending || wallets.isPending) return <Loading />
  if (capabilities.isError) return <Failed error={capabilities.error} />
  if (wallets.isError) return <Failed error={wallets.error} />
  if (!capabilities.data.sandbox_deposits)
    return <Alert severity="info">Adding money is not available on this service.</Alert>
  const chosen = currency ?? wallets.data[0]?.currency ?? 'USD'
  return (
    <Stack
      component="form"
      spacing={3}
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        if (deposit.isPending) return
        try {
          const minor = parseAmount(amount, chosen, locale)
          if (minor <= 0) return setInvalid('Enter an amount above zero.')
          deposit.mutate({ amount: minor, currency: chosen })
        } catch {
          setInvalid(`Enter an amount like 50${decimal_mark}00.`)
        }
      }}
    >
      <Typography variant="h2" component="h1">
        Add money
      </Typography>
      <Alert severity="info">This is a test service: the money added here is not real.</Alert>
      {added && (
        <Alert severity="success" role="status">
          Added {money(added.amount, added.currency)}. <Link to="/">See your balance</Link>
        </Alert>
      )}
      {deposit.isError && <Alert severity="error">{paymentProblemText(deposit.error)}</Alert>}
      <AmountInput
        amount={amount}
        currency={chosen}
        currencies={wallets.data.map((w) => w.currency)}
        onAmount={(text) => {
          setAmount(text)
          setInvalid(null)
          setAdded(null)
        }}
        onCurrency={setCurrency}
        error={invalid ?? undefined}
      />
      <Button type="submit" variant="contained" size="large" disabled={deposit.isPending}>
        {deposit.isPending ? 'Adding…' : 'Add money'}
      </Button>
    </Stack>
  )
}
