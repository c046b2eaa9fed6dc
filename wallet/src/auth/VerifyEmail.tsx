import Alert from '@mui/material/Alert'
import Button from '@mui/material/Button'
import Stack from '@mui/material/Stack'
import { useQuery } from '@tanstack/react-query'
import { Link } from 'react-router'
import { Loading } from '../common/states.tsx'
import { problemText } from '../common/problems.ts'
import { purse } from '../purse.ts'
import { reloadPerson, useSession } from '../session.ts'
import { OpenCard, useLinkToken } from './OpenCard.tsx'

/** The page of the verification mail's link: it confirms the address at once. */
export default function VerifyEmail() {
  const token = useLinkToken()
  const session = useSession()
  // A query, not an effect: it runs once per token, however often the page mounts.
  const verified = useQuery({
    queryKey: ['verify-email', token],
    queryFn: async () => {
      const user = await purse.auth.verifyEmail(token)
      if (session.data) await reloadPerson()
      return user
    },
    enabled: token !== '',
    staleTime: Number.POSITIVE_INFINITY,
  })
  return (
    <OpenCard title="Confirm your email">
      <Stack spacing={2}>
        {token === '' && (
          <Alert severity="error">
            This link is incomplete. Open the link from the mail again, or send a new one from
            Account.
          </Alert>
        )}
        {verified.isPending && token !== '' && <Loading label="Confirming your email" />}
        {verified.isError && <Alert severity="error">{problemText(verified.error)}</Alert>}
        {verified.isSuccess && (
          <Alert severity="success">
            {verified.data.email} is confirmed. You can send money now.
          </Alert>
        )}
        <Button component={Link} to="/" variant="contained">
          {session.data ? 'Go to Purse' : 'Sign in'}
        </Button>
      </Stack>
    </OpenCard>
  )
}
