import Alert from '@mui/material/Alert'
import Button from '@mui/material/Button'
import Dialog from '@mui/material/Dialog'
import DialogActions from '@mui/material/DialogActions'
import DialogContent from '@mui/material/DialogContent'
import DialogTitle from '@mui/material/DialogTitle'
import Stack from '@mui/material/Stack'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import { useMutation } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { purse } from '../purse.ts'
import { problemText } from './problems.ts'
import { answerStepUps, type Ask } from './step_up.ts'
import { passkeyCancelled, signWithPasskey } from './webauthn.ts'

/** The one dialog that answers withStepUp's questions; rendered once, by the shell. */
export default function StepUpDialog() {
  const [ask, setAsk] = useState<Ask | null>(null)
  useEffect(() => answerStepUps(setAsk), [])
  const prove = useMutation({
    mutationFn: async (proof: { code: string } | 'passkey') => {
      if (proof !== 'passkey') return purse.auth.stepUp(proof)
      const { challenge_id, options } = await purse.auth.stepUpOptions()
      return purse.auth.stepUp({ challenge_id, passkey: await signWithPasskey(options) })
    },
  })
  const close = (steppedUp: boolean) => {
    ask?.done(steppedUp)
    setAsk(null)
    prove.reset()
  }
  const methods = ask?.refusal.problem.methods ?? []
  return (
    <Dialog open={ask !== null} onClose={() => close(false)} aria-labelledby="step-up-title">
      <DialogTitle id="step-up-title">Confirm it's you</DialogTitle>
      <DialogContent>
        <Stack
          component="form"
          spacing={2}
          sx={{ pt: 1 }}
          onSubmit={(e) => {
            e.preventDefault()
            const code = String(new FormData(e.currentTarget).get('code'))
            prove.mutate({ code }, { onSuccess: () => close(true) })
          }}
        >
          <Typography>{ask?.refusal.detail}.</Typography>
          {prove.isError && !passkeyCancelled(prove.error) && (
            <Alert severity="error">{problemText(prove.error)}</Alert>
          )}
          {methods.length === 0 && (
            <Typography>
              Turn on an authenticator app or add a passkey under Account, then try again.
            </Typography>
          )}
          {methods.includes('passkey') && (
            <Button
              variant="contained"
              disabled={prove.isPending}
              onClick={() => prove.mutate('passkey', { onSuccess: () => close(true) })}
            >
              Use your passkey
            </Button>
          )}
          {methods.includes('totp') && (
            <>
              <TextField
                name="code"
                label="Code from your authenticator app"
                autoComplete="one-time-code"
                slotProps={{ htmlInput: { inputMode: 'numeric', pattern: '[0-9]{6}' } }}
                required
              />
              <Button type="submit" variant="contained" disabled={prove.isPending}>
                Confirm
              </Button>
            </>
          )}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={() => close(false)}>Cancel</Button>
      </DialogActions>
    </Dialog>
  )
}
