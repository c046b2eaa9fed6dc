import AcUnitIcon from '@mui/icons-material/AcUnit'
import LockOpenIcon from '@mui/icons-material/LockOpen'
import { Button } from '@mui/material'
import { useState } from 'react'
import { useRecordContext } from 'react-admin'
import { ReasonDialog } from '../common/ReasonDialog.tsx'
import { useAction } from '../common/useAction.ts'
import { useConsoleApi, useIsSelf } from '../common/useConsole.ts'

/** Freeze (no money in or out) or unfreeze a person, with a reason for the audit log. */
export function FreezeButton() {
  const record = useRecordContext()
  const api = useConsoleApi()
  const { busy, run } = useAction()
  const [open, setOpen] = useState(false)
  const self = useIsSelf(record && String(record.id))
  if (!record || self) return null
  const id = String(record.id)
  const frozen = record.status === 'frozen'

  async function confirm(reason: string) {
    const done = await run(
      () => (frozen ? api.unfreezeUser(id, reason) : api.freezeUser(id, reason)),
      frozen ? 'Account unfrozen' : 'Account frozen'
    )
    if (done) setOpen(false)
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
