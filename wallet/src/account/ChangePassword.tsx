import Alert from '@mui/material/Alert'
import Button from '@mui/material/Button'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import { useMutation } from '@tanstack/react-query'
import { NewPasswordField } from '../common/NewPasswordField.tsx'
import { fieldErrors, problemText } from '../common/problems.ts'
import { purse, queryClient } from '../purse.ts'

export function ChangePassword() {
  const change = useMutation({
    mutationFn: (form: FormData) =>
      purse.auth.changePassword(String(form.get('current_password')), String(form.get('password'))),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['sessions'] }),
  })
  const errors = fieldErrors(change.error)
  return (
    <Paper sx={{ p: 3 }}>
      <Typography variant="h3" component="h2" sx={{ mb: 2 }}>
        Password
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
          <Alert severity="success">Password changed. Your other devices were signed out.</Alert>
        )}
        {change.isError && <Alert severity="error">{problemText(change.error)}</Alert>}
        <TextField
          name="current_password"
          type="password"
          label="Current password"
          autoComplete="current-password"
          required
          error={!!errors.current_password}
          helperText={errors.current_password}
        />
        <NewPasswordField error={errors.password} />
        <Button type="submit" variant="outlined" disabled={change.isPending}>
          {change.isPending ? 'Saving…' : 'Change password'}
        </Button>
      </Stack>
    </Paper>
  )
}
