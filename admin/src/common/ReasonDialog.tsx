import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  TextField,
} from '@mui/material'
import { useState, type ReactNode } from 'react'

const reason_length_min = 3
const reason_length_max = 500

/**
 * Confirmation for an action that changes money or access: it says what
 * will happen and asks for the reason the audit log will keep.
 */
export function ReasonDialog(props: {
  open: boolean
  title: string
  children: ReactNode
  confirmLabel: string
  danger?: boolean
  busy?: boolean
  onConfirm: (reason: string) => void
  onClose: () => void
}) {
  const [reason, setReason] = useState('')
  const trimmed = reason.trim()
  const valid = trimmed.length >= reason_length_min && trimmed.length <= reason_length_max
  return (
    <Dialog open={props.open} onClose={props.onClose} fullWidth maxWidth="sm">
      <DialogTitle>{props.title}</DialogTitle>
      <DialogContent>
        <DialogContentText component="div">{props.children}</DialogContentText>
        <TextField
          autoFocus
          fullWidth
          multiline
          minRows={2}
          margin="normal"
          label="Reason (kept in the audit log)"
          name="reason"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          helperText={`${reason_length_min}–${reason_length_max} characters`}
          error={reason.length > 0 && !valid}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          variant="contained"
          color={props.danger ? 'error' : 'primary'}
          disabled={!valid || props.busy}
          onClick={() => props.onConfirm(trimmed)}
        >
          {props.confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  )
}
