import HourglassTop from '@mui/icons-material/HourglassTop'
import Button from '@mui/material/Button'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import type { Claim } from '@purse/sdk'
import { Link } from 'react-router'
import { money, onDay } from '../common/money.ts'

/** Sent to someone not on Purse yet: the money waits for them to claim it. */
export function Waiting({ claim, onAnother }: { claim: Claim; onAnother: () => void }) {
  return (
    <Stack role="status" spacing={3} sx={{ alignItems: 'center', textAlign: 'center', pt: 2 }}>
      <HourglassTop color="primary" sx={{ fontSize: 72 }} aria-hidden />
      <Typography variant="h2" component="h1" sx={{ overflowWrap: 'anywhere' }}>
        {money(claim.amount, claim.currency)} waits for {claim.email}
      </Typography>
      <Typography>
        We emailed them. It is theirs once they sign up with that address and confirm it; if they
        don't by {onDay(claim.expires_at)}, it comes back to you.
      </Typography>
      <Stack direction="row" spacing={2}>
        <Button component={Link} to="/history?direction=sent">
          See it in your history
        </Button>
        <Button variant="contained" onClick={onAnother}>
          Send another
        </Button>
      </Stack>
    </Stack>
  )
}
