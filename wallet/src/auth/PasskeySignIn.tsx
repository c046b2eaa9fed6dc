import Alert from '@mui/material/Alert'
import Button from '@mui/material/Button'
import Stack from '@mui/material/Stack'
import { purse } from '../purse.ts'
import { problemText } from '../common/problems.ts'
import { passkeyCancelled, signWithPasskey } from '../common/webauthn.ts'
import { useStartSession } from '../session.ts'

/** No email, no password: the browser offers this site's passkeys, verified on the device. */
export function PasskeySignIn() {
  const { mutation } = useStartSession(async () => {
    const { challenge_id, options } = await purse.auth.passkeyLoginOptions()
    return purse.auth.passkeyLogin(challenge_id, await signWithPasskey(options))
  })
  return (
    <Stack component="span" spacing={1} sx={{ display: 'flex', mb: 2 }}>
      {mutation.isError && !passkeyCancelled(mutation.error) && (
        <Alert severity="error">{problemText(mutation.error)}</Alert>
      )}
      <Button
        variant="outlined"
        disabled={mutation.isPending}
        onClick={() => mutation.mutate(new FormData())}
      >
        Sign in with a passkey
      </Button>
    </Stack>
  )
}
