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

export default function SignUp() {
  const session = useSession()
  const {
    mutation: signUp,
    next,
    nextQuery,
  } = useStartSession((form) =>
    purse.auth.register({
      full_name: String(form.get('full_name')),
      email: String(form.get('email')),
      password: String(form.get('password')),
    })
  )
  if (session.data) return <Navigate to={next} replace />
  const errors = fieldErrors(signUp.error)
  return (
    <AuthCard title="Create your Purse">
      <Stack
        component="form"
        spacing={2}
        onSubmit={(e) => {
          e.preventDefault()
          signUp.mutate(new FormData(e.currentTarget))
        }}
      >
        {signUp.isError && <Alert severity="error">{problemText(signUp.error)}</Alert>}
        <TextField
          name="full_name"
          label="Full name"
          autoComplete="name"
          required
          error={!!errors.full_name}
          helperText={errors.full_name}
        />
        <TextField
          name="email"
          type="email"
          label="Email"
          autoComplete="email"
          required
          error={!!errors.email}
          helperText={errors.email ?? 'People pay you with this address'}
        />
        <TextField
          name="password"
          type="password"
          label="Password"
          autoComplete="new-password"
          required
          error={!!errors.password}
          helperText={errors.password ?? 'At least 8 characters'}
        />
        <Button type="submit" variant="contained" disabled={signUp.isPending}>
          {signUp.isPending ? 'Creating your account…' : 'Create account'}
        </Button>
        <Typography>
          Already have an account? <Link to={`/sign-in${nextQuery}`}>Sign in</Link>
        </Typography>
      </Stack>
    </AuthCard>
  )
}
