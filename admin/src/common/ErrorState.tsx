import { Alert, Button } from '@mui/material'
import { PurseApiError } from '@purse/sdk'

/** A failed load, said plainly, with the request id support can quote and a retry. */
export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  const message =
    error instanceof PurseApiError
      ? `${error.detail}${error.requestId ? ` (request ${error.requestId})` : ''}`
      : error instanceof Error
        ? error.message
        : 'Something went wrong'
  return (
    <Alert
      severity="error"
      data-testid="error-state"
      action={retry ? <Button onClick={retry}>Try again</Button> : undefined}
    >
      {message}
    </Alert>
  )
}

/** A short message for notifications. */
export function describe(error: unknown): string {
  if (error instanceof PurseApiError) return error.detail
  return error instanceof Error ? error.message : 'Something went wrong'
}
