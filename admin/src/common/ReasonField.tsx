import { TextField } from '@mui/material'

const reason_length_min = 3
const reason_length_max = 500
/** What the API refuses in text people are shown: control characters and bidirectional overrides. */
const misleading_text = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u

/**
 * Whether a reason is one the API accepts: 3–500 characters once trimmed,
 * counted as the API counts them (an emoji is one), with no control
 * characters or bidirectional overrides (the reason shows in people's history).
 */
export function isValidReason(reason: string) {
  const trimmed = reason.trim()
  const length = [...trimmed].length
  return (
    length >= reason_length_min && length <= reason_length_max && !misleading_text.test(trimmed)
  )
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
      // One line, wrapped to fit: a reason is shown as one line in people's history.
      onChange={(e) => props.onChange(e.target.value.replace(/[\r\n]+/g, ' '))}
      helperText={`${reason_length_min}–${reason_length_max} characters, on one line`}
      error={props.value.length > 0 && !isValidReason(props.value)}
    />
  )
}
