import Alert from '@mui/material/Alert'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import CircularProgress from '@mui/material/CircularProgress'
import Typography from '@mui/material/Typography'
import type { ReactNode } from 'react'
import { problemText } from './problems.ts'

/** Something is on its way; said in words for screen readers too. */
export function Loading({ label = 'Loading' }: { label?: string }) {
  return (
    <Box
      role="status"
      sx={{ display: 'flex', alignItems: 'center', gap: 2, py: 4, justifyContent: 'center' }}
    >
      <CircularProgress size={24} aria-hidden />
      <Typography>{label}…</Typography>
    </Box>
  )
}

/** A read that failed, with a way to try again. */
export function Failed({ error, retry }: { error: unknown; retry?: () => void }) {
  return (
    <Alert
      severity="error"
      action={
        retry && (
          <Button color="inherit" size="small" onClick={retry}>
            Try again
          </Button>
        )
      }
    >
      {problemText(error)}
    </Alert>
  )
}

/** Nothing to show yet, and what to do about it. */
export function Empty({ children }: { children: ReactNode }) {
  return (
    <Box sx={{ py: 4, textAlign: 'center', color: 'text.secondary' }}>
      <Typography>{children}</Typography>
    </Box>
  )
}
