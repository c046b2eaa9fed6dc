import Alert from '@mui/material/Alert'
import Button from '@mui/material/Button'
import type { User } from '@purse/sdk'
import { useMutation } from '@tanstack/react-query'
import { problemText } from '../common/problems.ts'
import { purse } from '../purse.ts'

/** Until the address is confirmed: say so, and offer the link again. */
export function EmailStatus({ user }: { user: User }) {
  const resend = useMutation({ mutationFn: () => purse.auth.resendVerification() })
  if (user.email_verified) return null
  if (resend.isSuccess)
    return <Alert severity="success">A new link is on its way to {user.email}.</Alert>
  return (
    <Alert
      severity="warning"
      action={
        <Button
          color="inherit"
          size="small"
          disabled={resend.isPending}
          onClick={() => resend.mutate()}
        >
          Send the link again
        </Button>
      }
    >
      {resend.isError
        ? problemText(resend.error)
        : `Confirm ${user.email} with the link we mailed you to send money.`}
    </Alert>
  )
}
