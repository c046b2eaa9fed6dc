import CheckCircleIcon from '@mui/icons-material/CheckCircle'
import ErrorIcon from '@mui/icons-material/Error'
import {
  Alert,
  AlertTitle,
  Box,
  Card,
  CardContent,
  Grid,
  Skeleton,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material'
import type { AdminOverview } from '@purse/sdk'
import { useQuery } from '@tanstack/react-query'
import { Title } from 'react-admin'
import { DateTime } from '../common/DateTime.tsx'
import { ErrorState } from '../common/ErrorState.tsx'
import { Money } from '../common/Money.tsx'
import { useConsoleApi } from '../common/useConsole.ts'

const refresh_interval_ms = 30_000

/** Today at a glance: money held, what moved, what was refused, and whether the ledger balances. */
export function Dashboard() {
  const api = useConsoleApi()
  const overview = useQuery({
    queryKey: ['overview'],
    // "Today" is the viewer's day, not UTC's.
    queryFn: () => api.overview(new Date(new Date().setHours(0, 0, 0, 0))),
    refetchInterval: refresh_interval_ms,
  })
  return (
    <Box mt={2}>
      <Title title="Dashboard" />
      {overview.isPending ? (
        <Grid container spacing={2}>
          {[0, 1, 2, 3].map((i) => (
            <Grid key={i} size={{ xs: 12, sm: 6, md: 3 }}>
              <Skeleton variant="rounded" height={110} />
            </Grid>
          ))}
        </Grid>
      ) : overview.isError ? (
        <ErrorState error={overview.error} retry={() => overview.refetch()} />
      ) : (
        <OverviewView data={overview.data} />
      )}
    </Box>
  )
}

function Figure({ label, value, tone }: { label: string; value: number; tone?: 'error' }) {
  return (
    <Card sx={{ height: '100%' }}>
      <CardContent>
        <Typography variant="overline" color="text.secondary">
          {label}
        </Typography>
        <Typography variant="h4" color={tone === 'error' && value > 0 ? 'error' : undefined}>
          {value.toLocaleString()}
        </Typography>
      </CardContent>
    </Card>
  )
}

function LedgerStatus({ ledger }: { ledger: AdminOverview['ledger'] }) {
  if (!ledger)
    return (
      <Alert severity="error" variant="filled" data-testid="ledger-status">
        <AlertTitle>Ledger unreachable</AlertTitle>
        ledger-core is not answering; no money can move. See docs/operations.md.
      </Alert>
    )
  if (!ledger.ok)
    return (
      <Alert severity="error" variant="filled" icon={<ErrorIcon />} data-testid="ledger-status">
        <AlertTitle>Ledger invariants BROKEN</AlertTitle>
        {ledger.violations} violation(s) found at <DateTime value={ledger.checked_at} />. Stop
        reversals and adjustments and escalate now (runbook: “invariant alarm”).
      </Alert>
    )
  return (
    <Alert severity="success" icon={<CheckCircleIcon />} data-testid="ledger-status">
      Ledger balanced: every currency sums to zero and every balance matches its entries (checked{' '}
      <DateTime value={ledger.checked_at} />
      ).
    </Alert>
  )
}

function OverviewView({ data }: { data: AdminOverview }) {
  const refused = data.refused_by_code.map((r) => `${r.count} ${r.code.replaceAll('_', ' ')}`)
  return (
    <Grid container spacing={2}>
      <Grid size={12}>
        <LedgerStatus ledger={data.ledger} />
      </Grid>
      <Grid size={{ xs: 12, sm: 6, md: 3 }}>
        <Figure label="Transfers today" value={data.transfers_today} />
      </Grid>
      <Grid size={{ xs: 12, sm: 6, md: 3 }}>
        <Figure label="Refused today" value={data.refused_today} tone="error" />
      </Grid>
      <Grid size={{ xs: 12, sm: 6, md: 3 }}>
        <Figure label="Frozen accounts" value={data.frozen_users} tone="error" />
      </Grid>
      <Grid size={{ xs: 12, sm: 6, md: 3 }}>
        <Figure label="Users" value={data.users} />
      </Grid>
      {refused.length > 0 && (
        <Grid size={12}>
          <Typography variant="body2" color="text.secondary">
            Refused today: {refused.join(' · ')}
          </Typography>
        </Grid>
      )}
      <Grid size={12}>
        <Card>
          <CardContent>
            <Typography variant="h6">By currency</Typography>
            {data.currencies.length === 0 ? (
              <Typography color="text.secondary">No wallets yet.</Typography>
            ) : (
              <Table size="small" data-testid="currencies">
                <TableHead>
                  <TableRow>
                    <TableCell>Currency</TableCell>
                    <TableCell align="right">Held for users</TableCell>
                    <TableCell align="right">Transfers today</TableCell>
                    <TableCell align="right">Moved today</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {data.currencies.map((c) => (
                    <TableRow key={c.currency}>
                      <TableCell>{c.currency}</TableCell>
                      <TableCell align="right">
                        {c.held_for_users === null ? (
                          '—'
                        ) : (
                          <Money amount={c.held_for_users} currency={c.currency} />
                        )}
                      </TableCell>
                      <TableCell align="right">{c.transfers_today.toLocaleString()}</TableCell>
                      <TableCell align="right">
                        <Money amount={c.moved_today} currency={c.currency} />
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </CardContent>
        </Card>
      </Grid>
    </Grid>
  )
}
