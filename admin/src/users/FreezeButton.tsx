import AcUnitIcon from '@mui/icons-material/AcUnit'
import LockOpenIcon from '@mui/icons-material/LockOpen'
import { Button } from '@mui/material'
import { useState } from 'react'
import { useNotify, useRecordContext, useRefresh } from 'react-admin'
import { describe } from '../common/ErrorState.tsx'
import { ReasonDialog } from '../common/ReasonDialog.tsx'
import { useConsoleApi } from '../common/useConsole.ts'

/** Freeze (no money in or out) or unfreeze a person, with a reason for the audit log. */
export function FreezeButton() {
  const record = useRecordContext()
  const api = useConsoleApi()
  const notify = useNotify()
  const refresh = useRefresh()
  const [open, setOpen] = useState(false)
  const [busy, setBusy] = useState(false)
  if (!record) return null
  const frozen = record.status === 'frozen'

  async function confirm(reason: string) {
    setBusy(true)
    try {
      if (frozen) await api.unfreezeUser(String(record!.id), reason)
      else await api.freezeUser(String(record!.id), reason)
      notify(frozen ? 'Account unfrozen' : 'Account frozen', { type: 'success' })
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
        color={frozen ? 'primary' : 'error'}
        startIcon={frozen ? <LockOpenIcon /> : <AcUnitIcon />}
        onClick={() => setOpen(true)}
      >
        {frozen ? 'Unfreeze' : 'Freeze'}
      </Button>
      <ReasonDialog
        open={open}
        title={frozen ? `Unfreeze ${record.full_name}?` : `Freeze ${record.full_name}?`}
        confirmLabel={frozen ? 'Unfreeze account' : 'Freeze account'}
        danger={!frozen}
        busy={busy}
        onConfirm={confirm}
        onClose={() => setOpen(false)}
      >
        {frozen
          ? 'They will be able to send and receive money again.'
          : 'No money will move into or out of any of their wallets until someone unfreezes them.'}
      </ReasonDialog>
    </>
  )
}
