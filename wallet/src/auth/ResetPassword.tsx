import Alert from '@mui/material/Alert'
import Button from '@mui/material/Button'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { useMutation } from '@tanstack/react-query'
import { Link } from 'react-router'
import { NewPasswordField } from '../common/NewPasswordField.tsx'
import { fieldErrors, problemText } from '../common/problems.ts'
import { purse } from '../purse.ts'
import { OpenCard, useLinkToken } from './OpenCard.tsx'

/** The page of the reset mail's link. Every session ends, this browser's too: sign in again. */
export default function ResetPassword() {
  const token = useLinkToken()
  const mutation = useMutation({
    mutationFn: (password: string) => purse.auth.resetPassword(token, password),
  })
  const errors = fieldErrors(mutation.error)
  return (
    <OpenCard title="Choose a new password">
      {mutation.isSuccess ? (
        <Stack spacing={2}>
          <Alert severity="success">
            Your password is changed, and every device was signed out.
          </Alert>
          <Button component={Link} to="/sign-in" variant="contained">
            Sign in
          </Button>
        </Stack>
      ) : (
        <Stack
          component="form"
          spacing={2}
          onSubmit={(e) => {
            e.preventDefault()
            mutation.mutate(String(new FormData(e.currentTarget).get('password')))
          }}
        >
          {mutation.isError && (
            <Alert severity="error">
              {problemText(mutation.error)}{' '}
              {errors.password ? null : <Link to="/forgot-password">Get a new link</Link>}
            </Alert>
          )}
          <NewPasswordField error={errors.password} />
          <Button type="submit" variant="contained" disabled={mutation.isPending || !token}>
            {mutation.isPending ? 'Saving…' : 'Save the new password'}
          </Button>
          <Typography>
            <Link to="/sign-in">Back to sign in</Link>
          </Typography>
        </Stack>
      )}
    </OpenCard>
  )
}
