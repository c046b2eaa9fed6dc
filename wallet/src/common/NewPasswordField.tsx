import TextField from '@mui/material/TextField'

/** A new password, with the API's rule as the hint until the API says what is wrong with it. */
export function NewPasswordField({ error }: { error?: string }) {
  return (
    <TextField
      name="password"
      type="password"
      label="New password"
      autoComplete="new-password"
      required
      error={!!error}
      helperText={error ?? 'At least 8 characters, not a common password'}
    />
  )
}
