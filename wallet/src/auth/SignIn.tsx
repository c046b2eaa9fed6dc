import Alert from '@mui/material/Alert'
import Button from '@mui/material/Button'
import Stack from '@mui/material/Stack'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import { Link, Navigate } from 'react-router'
import { fieldErrors, problemText } from '../common/problems.ts'
import { purse } from '../purse.ts'
import { useSession, useStartSession } from '../session.ts'
import { AuthCard } from './AuthCard.tsx'

export default function SignIn() {
  const session = useSession()
  const {
    mutation: signIn,
    next,
    nextQuery,
  } = useStartSession((form) =>
    purse.auth.login({ email: String(form.get('email')), password: String(form.get('password')) })
  )
  if (session.data) return <Navigate to={next} replace />
  const errors = fieldErrors(signIn.error)
  return (
    <AuthCard title="Sign in">
      <Stack
        component="form"
        spacing={2}
        onSubmit={(e) => {
          e.preventDefault()
          signIn.mutate(new FormData(e.currentTarget))
        }}
      >
        {signIn.isError && <Alert severity="error">{problemText(signIn.error)}</Alert>}
        <TextField
          name="email"
          type="email"
          label="Email"
          autoComplete="email"
          required
          error={!!errors.email}
          helperText={errors.email}
        />
        <TextField
          name="password"
          type="password"
          label="Password"
          autoComplete="current-password"
          required
          error={!!errors.password}
          helperText={errors.password}
        />
        <Button type="submit" variant="contained" disabled={signIn.isPending}>
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </Button>
        <Typography>
          New to Purse? <Link to={`/sign-up${nextQuery}`}>Create an account</Link>
        </Typography>
      </Stack>
    </AuthCard>
  )
}
