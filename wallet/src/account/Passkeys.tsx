import Alert from '@mui/material/Alert'
import Button from '@mui/material/Button'
import Stack from '@mui/material/Stack'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import type { Passkey } from '@purse/sdk'
import { useMutation } from '@tanstack/react-query'
import { onDay } from '../common/money.ts'
import { problemText } from '../common/problems.ts'
import { withStepUp } from '../common/step_up.ts'
import { createPasskey, passkeyCancelled, passkeysSupported } from '../common/webauthn.ts'
import { purse } from '../purse.ts'

/** Passkeys: a second step, and a sign-in without a password. */
export function Passkeys({
  passkeys,
  onChange,
}: {
  passkeys: Passkey[]
  onChange: (codes?: string[] | null) => unknown
}) {
  const add = useMutation({
    mutationFn: async (name: string) => {
      const { challenge_id, options } = await withStepUp(() => purse.mfa.passkeyOptions())
      const response = await createPasskey(options)
      return purse.mfa.addPasskey({ challenge_id, response, name: name || undefined })
    },
    onSuccess: (answer) => onChange(answer.recovery_codes),
  })
  const remove = useMutation({
    mutationFn: (id: string) => withStepUp(() => purse.mfa.removePasskey(id)),
    onSuccess: () => onChange(),
  })
  const error = add.error ?? remove.error
  return (
    <Stack spacing={2}>
      <Typography variant="h4" component="h3">
        Passkeys
      </Typography>
      {error && !passkeyCancelled(error) && <Alert severity="error">{problemText(error)}</Alert>}
      {passkeys.length === 0 && (
        <Typography color="text.secondary">
          A passkey signs you in with your fingerprint, face or screen lock.
        </Typography>
      )}
      <Stack component="ul" spacing={1} sx={{ listStyle: 'none', p: 0, m: 0 }}>
        {passkeys.map((key) => (
          <Stack component="li" key={key.id} direction="row" spacing={2} alignItems="center">
            <Typography sx={{ flex: 1 }}>
              {key.name}
              <Typography component="span" color="text.secondary">
                {' '}
                · added {onDay(key.created_at)}
                {key.last_used_at ? ` · last used ${onDay(key.last_used_at)}` : ''}
              </Typography>
            </Typography>
            <Button
              size="small"
              color="error"
              disabled={remove.isPending}
              onClick={() => remove.mutate(key.id)}
              aria-label={`Remove passkey ${key.name}`}
            >
              Remove
            </Button>
          </Stack>
        ))}
      </Stack>
      {passkeysSupported() && (
        <Stack
          component="form"
          direction={{ xs: 'column', sm: 'row' }}
          spacing={1}
          onSubmit={(e) => {
            e.preventDefault()
            const form = e.currentTarget
            add.mutate(String(new FormData(form).get('name') ?? '').trim(), {
              onSuccess: () => form.reset(),
            })
          }}
        >
          <TextField
            name="name"
            label="Passkey name"
            placeholder="My phone"
            size="small"
            slotProps={{ htmlInput: { maxLength: 60 } }}
          />
          <Button type="submit" variant="outlined" disabled={add.isPending}>
            Add a passkey
          </Button>
        </Stack>
      )}
    </Stack>
  )
}
