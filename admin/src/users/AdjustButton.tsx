import TuneIcon from '@mui/icons-material/Tune'
import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  MenuItem,
  TextField,
} from '@mui/material'
import { PurseApiError, parseAmount, type Wallet } from '@purse/sdk'
import { useState } from 'react'
import { Money } from '../common/Money.tsx'
import { ReasonField, isValidReason } from '../common/ReasonField.tsx'
import { useAction } from '../common/useAction.ts'
import { useConsoleApi } from '../common/useConsole.ts'

/**
 * An answer that says nothing was moved. A network error, a 5xx or a
 * request still in progress leave it unknown: only the same key learns it.
 */
function refusedForCertain(error: unknown): boolean {
  return (
    error instanceof PurseApiError && error.status < 500 && error.code !== 'idempotency_key_in_use'
  )
}

/**
 * Admin only: credit or debit a wallet against the adjustments account. Two
 * steps: the form, then a confirmation that shows the balance it will leave.
 * One idempotency key per dialog, so a retried or double-clicked confirm
 * adjusts once; a new one after a refusal.
 */
export function AdjustButton({ wallet }: { wallet: Wallet }) {
  const api = useConsoleApi()
  const { busy, run } = useAction()
  const [open, setOpen] = useState(false)
  const [direction, setDirection] = useState<'credit' | 'debit'>('credit')
  const [amountText, setAmountText] = useState('')
  const [reason, setReason] = useState('')
  const [confirming, setConfirming] = useState(false)
  const [key, setKey] = useState(() => crypto.randomUUID())

  let minor: number | null = null
  let amountError = ''
  if (amountText) {
    try {
      minor = parseAmount(amountText, wallet.currency)
      if (minor === 0) amountError = 'Must be more than zero'
    } catch (error) {
      amountError = (error as Error).message
    }
  }
  const signed = minor ? (direction === 'credit' ? minor : -minor) : 0
  const after = wallet.balance + signed
  const valid = minor !== null && !amountError && isValidReason(reason) && after >= 0

  function close() {
    setOpen(false)
    setConfirming(false)
    setAmountText('')
    setReason('')
    setKey(crypto.randomUUID())
  }

  async function submit() {
    const done = await run(
      async () => {
        try {
          return await api.adjustWallet(wallet.id, signed, reason.trim(), key)
        } catch (error) {
          // Refused for certain: the next confirm is a new adjustment, not a
          // replay of the refusal (nor, with another amount, a reused key).
          if (refusedForCertain(error)) setKey(crypto.randomUUID())
          throw error
        }
      },
      (result) =>
        'proposal' in result
          ? 'Sent to a second admin for approval: nothing moves until then'
          : 'Balance adjusted'
    )
    if (done) close()
  }

  return (
    <>
      <Button size="small" startIcon={<TuneIcon />} onClick={() => setOpen(true)}>
        Adjust
      </Button>
      <Dialog open={open} onClose={close} fullWidth maxWidth="sm">
        <DialogTitle>Adjust the {wallet.currency} wallet</DialogTitle>
        <DialogContent>
          {confirming ? (
            <Alert severity="warning" data-testid="adjust-confirmation">
              {direction === 'credit' ? 'Credit' : 'Debit'}{' '}
              <Money amount={minor ?? 0} currency={wallet.currency} />. The balance goes from{' '}
              <Money amount={wallet.balance} currency={wallet.currency} /> to{' '}
              <strong>
                <Money amount={after} currency={wallet.currency} />
              </strong>
              . Reason: “{reason.trim()}”
            </Alert>
          ) : (
            <>
              <TextField
                select
                fullWidth
                margin="normal"
                label="Direction"
                name="direction"
                value={direction}
                onChange={(e) => setDirection(e.target.value as 'credit' | 'debit')}
              >
                <MenuItem value="credit">Credit (add money)</MenuItem>
                <MenuItem value="debit">Debit (take money)</MenuItem>
              </TextField>
              <TextField
                fullWidth
                margin="normal"
                label={`Amount in ${wallet.currency}`}
                name="amount"
                placeholder="10.00"
                value={amountText}
                onChange={(e) => setAmountText(e.target.value)}
                error={Boolean(amountError) || after < 0}
                helperText={amountError || (after < 0 ? 'More than the wallet holds' : ' ')}
                inputMode="decimal"
              />
              <ReasonField value={reason} onChange={setReason} />
            </>
          )}
        </DialogContent>
        <DialogActions>
          {confirming ? (
            <>
              <Button onClick={() => setConfirming(false)}>Back</Button>
              <Button variant="contained" color="warning" disabled={busy} onClick={submit}>
                Confirm adjustment
              </Button>
            </>
          ) : (
            <>
              <Button onClick={close}>Cancel</Button>
              <Button variant="contained" disabled={!valid} onClick={() => setConfirming(true)}>
                Review
              </Button>
            </>
          )}
        </DialogActions>
      </Dialog>
    </>
  )
}
