import LogoutIcon from '@mui/icons-material/Logout'
import MailIcon from '@mui/icons-material/MailOutline'
import {
  Button,
  Card,
  Chip,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
} from '@mui/material'
import type { UserWithWallets } from '@purse/sdk'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { useRefresh } from 'react-admin'
import { DateTime } from '../common/DateTime.tsx'
import { ErrorState } from '../common/ErrorState.tsx'
import { LoadingRow } from '../common/LoadingRow.tsx'
import { ReasonDialog } from '../common/ReasonDialog.tsx'
import { useAction } from '../common/useAction.ts'
import { useConsoleApi } from '../common/useConsole.ts'

/**
 * A person's account security as staff see it: whether the email is
 * confirmed, which second factors are on (never what they hold), and
 * where they are signed in (never a token), with the two
 * audited actions: a new verification mail, and signing them out everywhere.
 */
export function SecurityPanel({ user }: { user: UserWithWallets }) {
  const api = useConsoleApi()
  const refresh = useRefresh()
  const { busy, run } = useAction()
  const [asking, setAsking] = useState<'end' | 'mail' | null>(null)
  const sessions = useQuery({
    queryKey: ['sessions', user.id],
    queryFn: () => api.sessions(user.id),
  })

  async function confirm(reason: string) {
    const done =
      asking === 'end'
        ? await run(() => api.endSessions(user.id, reason), 'Signed out everywhere')
        : await run(() => api.resendVerification(user.id, reason), 'Verification mail sent')
    if (done) {
      setAsking(null)
      await sessions.refetch()
      refresh()
    }
  }

  return (
    <Card variant="outlined" data-testid="security">
      <Stack direction="row" spacing={2} alignItems="center" sx={{ p: 2 }}>
        <Chip
          size="small"
          color={user.email_verified ? 'success' : 'warning'}
          label={user.email_verified ? 'email confirmed' : 'email not confirmed'}
        />
        <Chip
          size="small"
          color={user.mfa?.enabled ? 'success' : 'default'}
          label={twoStepLabel(user.mfa)}
          data-testid="two-step"
        />
        {!user.email_verified && (
          <Button size="small" startIcon={<MailIcon />} onClick={() => setAsking('mail')}>
            Resend verification
          </Button>
        )}
        <Button
          size="small"
          color="error"
          startIcon={<LogoutIcon />}
          disabled={!sessions.data?.length}
          onClick={() => setAsking('end')}
        >
          Sign out everywhere
        </Button>
      </Stack>
      {sessions.error ? (
        <ErrorState error={sessions.error} retry={() => sessions.refetch()} />
      ) : (
        <Table size="small" data-testid="sessions">
          <TableHead>
            <TableRow>
              <TableCell>Device</TableCell>
              <TableCell>Network</TableCell>
              <TableCell>Signed in</TableCell>
              <TableCell>Last used</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {sessions.isPending && <LoadingRow columns={4} />}
            {sessions.data?.length === 0 && (
              <TableRow>
                <TableCell colSpan={4}>Not signed in anywhere.</TableCell>
              </TableRow>
            )}
            {sessions.data?.map((session) => (
              <TableRow key={session.id}>
                <TableCell>{session.user_agent ?? 'unknown'}</TableCell>
                <TableCell>{session.ip_prefix ?? 'unknown'}</TableCell>
                <TableCell>
                  <DateTime value={session.created_at} />
                </TableCell>
                <TableCell>
                  <DateTime value={session.last_used_at} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <ReasonDialog
        open={asking !== null}
        title={
          asking === 'end'
            ? `Sign ${user.full_name} out everywhere?`
            : `Mail ${user.full_name} a new verification link?`
        }
        confirmLabel={asking === 'end' ? 'Sign out everywhere' : 'Send the mail'}
        danger={asking === 'end'}
        busy={busy}
        onConfirm={confirm}
        onClose={() => setAsking(null)}
      >
        {asking === 'end'
          ? 'Every device they use is signed out at once; they sign in again with their password.'
          : 'Earlier links stop working; the new one works for 48 hours.'}
      </ReasonDialog>
    </Card>
  )
}

/** Which second factors are on, in words: "two-step on: app, 2 passkeys". */
function twoStepLabel(mfa: UserWithWallets['mfa']): string {
  if (!mfa?.enabled) return 'two-step off'
  const factors = [
    mfa.totp_enabled ? 'app' : null,
    mfa.passkeys > 0 ? `${mfa.passkeys} passkey${mfa.passkeys === 1 ? '' : 's'}` : null,
  ].filter(Boolean)
  return `two-step on: ${factors.join(', ')} · ${mfa.recovery_codes_left} recovery codes left`
}
