import Alert from '@mui/material/Alert'
import Button from '@mui/material/Button'
import Link from '@mui/material/Link'
import Stack from '@mui/material/Stack'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import type { mfaChallengeOf } from '@purse/sdk'
import { useState } from 'react'
import { problemText } from '../common/problems.ts'
import { passkeyCancelled, signWithPasskey } from '../common/webauthn.ts'
import { purse } from '../purse.ts'
import { useStartSession } from '../session.ts'
import { OpenCard } from './OpenCard.tsx'

export type Challenge = NonNullable<ReturnType<typeof mfaChallengeOf>>

/** A sign-in's second step: a passkey, the authenticator app's code, or a recovery code. */
export function SecondStep({
  challenge,
  onRestart,
}: {
  challenge: Challenge
  onRestart: () => void
}) {
  const [recovery, setRecovery] = useState(!challenge.methods.includes('totp'))
  const { mutation } = useStartSession(async (form) => {
    const token = challenge.mfaToken
    if (form.get('passkey'))
      return purse.auth.completeMfa(token, {
        passkey: await signWithPasskey(await purse.auth.mfaPasskeyOptions(token)),
      })
    if (form.get('recovery_code'))
      return purse.auth.completeMfa(token, { recovery_code: String(form.get('recovery_code')) })
    return purse.auth.completeMfa(token, { code: String(form.get('code')) })
  })
  const expired =
    mutation.error instanceof Error && 'code' in mutation.error
      ? mutation.error.code === 'mfa_challenge_expired'
      : false
  return (
    <OpenCard title="Confirm it's you">
      <Stack
        component="form"
        spacing={2}
        onSubmit={(e) => {
          e.preventDefault()
          mutation.mutate(new FormData(e.currentTarget))
        }}
      >
        {mutation.isError && !passkeyCancelled(mutation.error) && (
          <Alert severity="error">{problemText(mutation.error)}</Alert>
        )}
        {expired ? (
          <Button variant="contained" onClick={onRestart}>
            Sign in again
          </Button>
        ) : (
          <>
            {challenge.methods.includes('passkey') && (
              <Button
                variant="contained"
                disabled={mutation.isPending}
                onClick={() => {
                  const form = new FormData()
                  form.set('passkey', '1')
                  mutation.mutate(form)
                }}
              >
                Use your passkey
              </Button>
            )}
            {recovery ? (
              <TextField
                key="recovery"
                name="recovery_code"
                label="Recovery code"
                autoComplete="off"
                required
              />
            ) : (
              <TextField
                key="code"
                name="code"
                label="Code from your authenticator app"
                autoComplete="one-time-code"
                slotProps={{ htmlInput: { inputMode: 'numeric', pattern: '[0-9]{6}' } }}
                required
                autoFocus
              />
            )}
            <Button type="submit" variant="outlined" disabled={mutation.isPending}>
              {mutation.isPending ? 'Checking…' : 'Continue'}
            </Button>
            {challenge.methods.includes('recovery_code') && (
              <Typography>
                <Link component="button" type="button" onClick={() => setRecovery(!recovery)}>
                  {recovery ? 'Use a code from your app' : 'Lost your device? Use a recovery code'}
                </Link>
              </Typography>
            )}
          </>
        )}
      </Stack>
    </OpenCard>
  )
}
