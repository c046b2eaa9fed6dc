import UndoIcon from '@mui/icons-material/Undo'
import { Button } from '@mui/material'
import type { AdminTransfer } from '@purse/sdk'
import { useState } from 'react'
import { useRecordContext } from 'react-admin'
import { Money } from '../common/Money.tsx'
import { ReasonDialog } from '../common/ReasonDialog.tsx'
import { useAction } from '../common/useAction.ts'
import { useConsoleApi, useIsAdmin, useIsSelf } from '../common/useConsole.ts'

/** Admin only: move a transfer's money back in full, once, with a reason. */
export function ReverseButton() {
  const transfer = useRecordContext<AdminTransfer>()
  const isAdmin = useIsAdmin()
  const api = useConsoleApi()
  const { busy, run } = useAction()
  const [open, setOpen] = useState(false)
  const self = useIsSelf(transfer?.sender?.id, transfer?.receiver?.id)
  if (
    !transfer ||
    !isAdmin ||
    self ||
    transfer.status === 'reversed' ||
    transfer.kind === 'reversal'
  )
    return null
  const id = transfer.id

  async function confirm(reason: string) {
    const done = await run(
      () => api.reverseTransfer(id, reason),
      (result) =>
        'proposal' in result
          ? 'Sent to a second admin for approval: nothing moves until then'
          : 'Transfer reversed'
    )
    if (done) setOpen(false)
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
