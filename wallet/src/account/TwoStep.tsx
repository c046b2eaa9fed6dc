import Alert from '@mui/material/Alert'
import Button from '@mui/material/Button'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import { useMutation, useQuery } from '@tanstack/react-query'
import QRCode from 'qrcode'
import { useState } from 'react'
import { problemText } from '../common/problems.ts'
import { withStepUp } from '../common/step_up.ts'
import { purse, queryClient } from '../purse.ts'
import { Passkeys } from './Passkeys.tsx'
import { RecoveryCodes } from './RecoveryCodes.tsx'

export const second_factors_key = ['second-factors'] as const

const codeField = {
  name: 'code',
  label: 'Code from the app',
  autoComplete: 'one-time-code',
  required: true,
  slotProps: { htmlInput: { inputMode: 'numeric' as const, pattern: '[0-9]{6}' } },
}

/** Two-step sign-in: an authenticator app, passkeys, and recovery codes for a lost device. */
export function TwoStep() {
  const status = useQuery({ queryKey: second_factors_key, queryFn: () => purse.mfa.status() })
  const [codes, setCodes] = useState<string[] | null>(null)
  const changed = (fresh?: string[] | null) => {
    if (fresh) setCodes(fresh)
    return queryClient.invalidateQueries({ queryKey: second_factors_key })
  }
  return (
    <Paper sx={{ p: 3 }}>
      <Typography variant="h3" component="h2" sx={{ mb: 1 }}>
        Two-step sign-in
      </Typography>
      <Typography color="text.secondary" sx={{ mb: 2 }}>
        {status.data?.enabled
          ? 'On: signing in asks for your password and a second step.'
          : 'Off: a password alone signs in. Turn on a second step to protect your money: large payments need one.'}
      </Typography>
      <Stack spacing={3}>
        {status.isError && <Alert severity="error">{problemText(status.error)}</Alert>}
        {codes && <RecoveryCodes codes={codes} onDone={() => setCodes(null)} />}
        {status.data && <AuthenticatorApp enabled={status.data.totp_enabled} onChange={changed} />}
        {status.data && <Passkeys passkeys={status.data.passkeys} onChange={changed} />}
        {status.data?.enabled && (
          <NewRecoveryCodes left={status.data.recovery_codes_left} onChange={changed} />
        )}
      </Stack>
    </Paper>
  )
}

function AuthenticatorApp({
  enabled,
  onChange,
}: {
  enabled: boolean
  onChange: (codes?: string[] | null) => unknown
}) {
  const begin = useMutation({
    mutationFn: async () => {
      const enrolment = await withStepUp(() => purse.mfa.beginTotp())
      return { ...enrolment, qr: await QRCode.toDataURL(enrolment.otpauth_uri) }
    },
  })
  const confirm = useMutation({
    mutationFn: (code: string) => purse.mfa.confirmTotp(code),
    onSuccess: (answer) => {
      begin.reset()
      return onChange(answer.recovery_codes)
    },
  })
  const disable = useMutation({
    mutationFn: (code: string) => purse.mfa.disableTotp(code),
    onSuccess: () => onChange(),
  })
  const error = begin.error ?? confirm.error ?? disable.error
  const submit = (run: (code: string) => void) => (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    run(String(new FormData(e.currentTarget).get('code')))
  }
  return (
    <Stack spacing={2}>
      <Typography variant="h4" component="h3">
        Authenticator app {enabled ? '(on)' : ''}
      </Typography>
      {error && <Alert severity="error">{problemText(error)}</Alert>}
      {!enabled && !begin.data && (
        <Button variant="outlined" disabled={begin.isPending} onClick={() => begin.mutate()}>
          Set up an authenticator app
        </Button>
      )}
      {!enabled && begin.data && (
        <Stack component="form" spacing={2} onSubmit={submit((code) => confirm.mutate(code))}>
          <Typography>
            Scan this code with your authenticator app, or type in the key below. Then enter the
            6-digit code it shows.
          </Typography>
          <img
            src={begin.data.qr}
            alt="QR code for your authenticator app"
            width={180}
            height={180}
          />
          <Typography sx={{ fontFamily: 'monospace', overflowWrap: 'anywhere' }}>
            Key: <span data-testid="totp-secret">{begin.data.secret}</span>
          </Typography>
          <TextField {...codeField} />
          <Button type="submit" variant="contained" disabled={confirm.isPending}>
            Turn on
          </Button>
        </Stack>
      )}
      {enabled && (
        <Stack component="form" spacing={2} onSubmit={submit((code) => disable.mutate(code))}>
          <TextField {...codeField} label="Code from the app, to turn it off" />
          <Button type="submit" variant="outlined" color="error" disabled={disable.isPending}>
            Turn off the authenticator app
          </Button>
        </Stack>
      )}
    </Stack>
  )
}

function NewRecoveryCodes({
  left,
  onChange,
}: {
  left: number
  onChange: (codes?: string[] | null) => unknown
}) {
  const renew = useMutation({
    mutationFn: () => withStepUp(() => purse.mfa.newRecoveryCodes()),
    onSuccess: (answer) => onChange(answer.recovery_codes),
  })
  return (
    <Stack spacing={1}>
      <Typography variant="h4" component="h3">
        Recovery codes
      </Typography>
      <Typography color="text.secondary">{left} of 10 left, each for one sign-in.</Typography>
      {renew.isError && <Alert severity="error">{problemText(renew.error)}</Alert>}
      <Button variant="outlined" disabled={renew.isPending} onClick={() => renew.mutate()}>
        Make new recovery codes
      </Button>
    </Stack>
  )
}
