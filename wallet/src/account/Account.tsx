import Button from '@mui/material/Button'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import type { User } from '@purse/sdk'
import { useState } from 'react'
import { useNavigate } from 'react-router'
import { onDay } from '../common/money.ts'
import { signOut } from '../session.ts'
import { ChangeEmail } from './ChangeEmail.tsx'
import { ChangePassword } from './ChangePassword.tsx'
import { EmailStatus } from './EmailStatus.tsx'
import { Sessions } from './Sessions.tsx'
import { TwoStep } from './TwoStep.tsx'
import { Limits } from './Limits.tsx'
import { useWallets } from '../wallets/queries.ts'

/** Who is signed in, and the way out. */
export default function Account({ user }: { user: User }) {
  const navigate = useNavigate()
  const [leaving, setLeaving] = useState(false)
  const wallets = useWallets()
  return (
    <Stack spacing={3}>
      <Typography variant="h2" component="h1">
        Account
      </Typography>
      <EmailStatus user={user} />
      <Paper sx={{ p: 3 }}>
        <Stack
          component="dl"
          spacing={1}
          sx={{
            'm': 0,
            '& dt': { color: 'text.secondary' },
            '& dd': { m: 0, mb: 1, overflowWrap: 'anywhere' },
          }}
        >
          <dt>Name</dt>
          <dd>{user.full_name}</dd>
          <dt>Email</dt>
          <dd>
            {user.email} {user.email_verified ? '(confirmed)' : '(not confirmed yet)'}
          </dd>
          <dt>Status</dt>
          <dd>{user.status === 'frozen' ? 'Frozen: contact support' : 'Active'}</dd>
          <dt>Member since</dt>
          <dd>{onDay(user.created_at)}</dd>
        </Stack>
      </Paper>
      <Typography color="text.secondary">
        People pay you by your email address. Share it with the people you want to be paid by.
      </Typography>
      <Limits currencies={wallets.data?.map((w) => w.currency) ?? ['USD']} />
      <TwoStep />
      <ChangeEmail />
      <ChangePassword />
      <Sessions />
      <Button
        variant="outlined"
        color="error"
        size="large"
        disabled={leaving}
        onClick={async () => {
          setLeaving(true)
          await signOut().catch(() => undefined)
          await navigate('/sign-in', { replace: true })
        }}
      >
        Sign out
      </Button>
    </Stack>
  )
}
