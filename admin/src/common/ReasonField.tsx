import { TextField } from '@mui/material'

const reason_length_min = 3
const reason_length_max = 500

/** Whether a reason is one the API accepts (3–500 characters once trimmed). */
export function isValidReason(reason: string) {
  const length = reason.trim().length
  return length >= reason_length_min && length <= reason_length_max
}

/** The reason an action is taken, as the audit log will keep it. */
export function ReasonField(props: {
  value: string
  onChange: (value: string) => void
  autoFocus?: boolean
}) {
  return (
    <TextField
      autoFocus={props.autoFocus}
      fullWidth
      multiline
      minRows={2}
      margin="normal"
      label="Reason (kept in the audit log)"
      name="reason"
      value={props.value}
      onChange={(e) => props.onChange(e.target.value)}
      helperText={`${reason_length_min}–${reason_length_max} characters`}
      error={props.value.length > 0 && !isValidReason(props.value)}
    />
  )
}
