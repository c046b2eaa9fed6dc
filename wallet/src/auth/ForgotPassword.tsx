import Alert from '@mui/material/Alert'
import Button from '@mui/material/Button'
import Stack from '@mui/material/Stack'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import { useMutation } from '@tanstack/react-query'
import { Link } from 'react-router'
import { fieldErrors, problemText } from '../common/problems.ts'
import { purse } from '../purse.ts'
import { OpenCard } from './OpenCard.tsx'

export default function ForgotPassword() {
  const mutation = useMutation({ mutationFn: (email: string) => purse.auth.forgotPassword(email) })
  const errors = fieldErrors(mutation.error)
  return (
    <OpenCard title="Reset your password">
      {mutation.isSuccess ? (
        <Stack spacing={2}>
          <Alert severity="success">
            If an account has this address, a link to choose a new password is on its way. It works
            for 30 minutes.
          </Alert>
          <Typography>
            <Link to="/sign-in">Back to sign in</Link>
          </Typography>
        </Stack>
      ) : (
        <Stack
          component="form"
          spacing={2}
          onSubmit={(e) => {
            e.preventDefault()
            mutation.mutate(String(new FormData(e.currentTarget).get('email')))
          }}
        >
          <Typography>We'll mail you a link to choose a new password.</Typography>
          {mutation.isError && <Alert severity="error">{problemText(mutation.error)}</Alert>}
          <TextField
            name="email"
            type="email"
            label="Email"
            autoComplete="email"
            required
            error={!!errors.email}
            helperText={errors.email}
          />
          <Button type="submit" variant="contained" disabled={mutation.isPending}>
            {mutation.isPending ? 'Sending…' : 'Send the link'}
          </Button>
          <Typography>
            <Link to="/sign-in">Back to sign in</Link>
          </Typography>
        </Stack>
      )}
    </OpenCard>
  )
}
