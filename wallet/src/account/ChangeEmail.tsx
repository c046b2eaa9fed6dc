import Alert from '@mui/material/Alert'
import Button from '@mui/material/Button'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import { useMutation } from '@tanstack/react-query'
import { fieldErrors, problemText } from '../common/problems.ts'
import { withStepUp } from '../common/step_up.ts'
import { purse } from '../purse.ts'

/** A new address takes over only once its mailed link is opened. */
export function ChangeEmail() {
  const change = useMutation({
    mutationFn: (form: FormData) =>
      withStepUp(() =>
        purse.auth.changeEmail(String(form.get('email')), String(form.get('current_password')))
      ).then(() => String(form.get('email'))),
  })
  const errors = fieldErrors(change.error)
  return (
    <Paper sx={{ p: 3 }}>
      <Typography variant="h3" component="h2" sx={{ mb: 2 }}>
        Email address
      </Typography>
      <Stack
        component="form"
        spacing={2}
        onSubmit={(e) => {
          e.preventDefault()
          const form = e.currentTarget
          change.mutate(new FormData(form), { onSuccess: () => form.reset() })
        }}
      >
        {change.isSuccess && (
          <Alert severity="success">
            Open the link we mailed to {change.data} to make it your address. Until then, your
            current address stays.
          </Alert>
        )}
        {change.isError && <Alert severity="error">{problemText(change.error)}</Alert>}
        <TextField
          name="email"
          type="email"
          label="New email address"
          autoComplete="email"
          required
          error={!!errors.email}
          helperText={errors.email}
        />
        <TextField
          name="current_password"
          type="password"
          label="Your password"
          autoComplete="current-password"
          required
          error={!!errors.current_password}
          helperText={errors.current_password}
        />
        <Button type="submit" variant="outlined" disabled={change.isPending}>
          {change.isPending ? 'Sending…' : 'Change email address'}
        </Button>
      </Stack>
    </Paper>
  )
}
