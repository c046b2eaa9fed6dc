import UndoIcon from '@mui/icons-material/Undo'
import { Button } from '@mui/material'
import type { AdminTransfer } from '@purse/sdk'
import { useState } from 'react'
import { useNotify, useRecordContext, useRefresh } from 'react-admin'
import { describe } from '../common/ErrorState.tsx'
import { Money } from '../common/Money.tsx'
import { ReasonDialog } from '../common/ReasonDialog.tsx'
import { useConsoleApi, useIsAdmin } from '../common/useConsole.ts'

/** Admin only: move a transfer's money back in full, once, with a reason. */
export function ReverseButton() {
  const transfer = useRecordContext<AdminTransfer>()
  const isAdmin = useIsAdmin()
  const api = useConsoleApi()
  const notify = useNotify()
  const refresh = useRefresh()
  const [open, setOpen] = useState(false)
  const [busy, setBusy] = useState(false)
  if (!transfer || !isAdmin || transfer.status === 'reversed' || transfer.kind === 'reversal')
    return null

  async function confirm(reason: string) {
    setBusy(true)
    try {
      await api.reverseTransfer(transfer!.id, reason)
      notify('Transfer reversed', { type: 'success' })
      setOpen(false)
      refresh()
    } catch (error) {
      notify(describe(error), { type: 'error' })
    } finally {
      setBusy(false)
    }
  }

  return (
    <>
      <Button
        variant="outlined"
        color="warning"
        startIcon={<UndoIcon />}
        onClick={() => setOpen(true)}
      >
        Reverse
      </Button>
      <ReasonDialog
        open={open}
        title="Reverse this transfer?"
        confirmLabel="Reverse transfer"
        danger
        busy={busy}
        onConfirm={confirm}
        onClose={() => setOpen(false)}
      >
        <Money amount={transfer.amount} currency={transfer.currency} /> goes back from{' '}
        {transfer.receiver?.full_name ?? 'the receiver'} to{' '}
        {transfer.sender?.full_name ?? 'the sender'}. This cannot be undone, and it fails if the
        receiver no longer holds the money.
      </ReasonDialog>
    </>
  )
}
