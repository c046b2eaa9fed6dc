import {
  Alert,
  Card,
  CardContent,
  Grid,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material'
import type { AdminTransfer } from '@purse/sdk'
import type { ReactNode } from 'react'
import { Link, Show, TopToolbar, useRecordContext } from 'react-admin'
import { DateTime } from '../common/DateTime.tsx'
import { LoadingRow } from '../common/LoadingRow.tsx'
import { Money } from '../common/Money.tsx'
import { StatusChip } from '../common/StatusChip.tsx'
import { ReverseButton } from './ReverseButton.tsx'

export function TransferShow() {
  return (
    <Show
      actions={
        <TopToolbar>
          <ReverseButton />
        </TopToolbar>
      }
      emptyWhileLoading
    >
      <TransferDetail />
    </Show>
  )
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Grid size={{ xs: 12, sm: 6, md: 4 }}>
      <Typography variant="caption" color="text.secondary">
        {label}
      </Typography>
      <Typography component="div">{children}</Typography>
    </Grid>
  )
}

function Person({ party }: { party: AdminTransfer['sender'] }) {
  if (!party) return <>—</>
  return <Link to={`/users/${party.id}/show`}>{party.full_name}</Link>
}

function TransferDetail() {
  const t = useRecordContext<AdminTransfer>()
  if (!t) return null
  return (
    <CardContent>
      <Stack direction="row" spacing={2} alignItems="center" mb={2}>
        <Typography variant="h5">
          <Money amount={t.amount} currency={t.currency} />
        </Typography>
        <StatusChip value={t.status} />
        <Typography color="text.secondary">{t.kind}</Typography>
      </Stack>
      {t.reversed_by && (
        <Alert severity="warning" sx={{ mb: 2 }}>
          Reversed by <Link to={`/transfers/${t.reversed_by}/show`}>transfer {t.reversed_by}</Link>
        </Alert>
      )}
      {t.ledger?.reversal_of && (
        <Alert severity="info" sx={{ mb: 2 }}>
          Reverses{' '}
          <Link to={`/transfers/${t.ledger.reversal_of}/show`}>
            transfer {t.ledger.reversal_of}
          </Link>
        </Alert>
      )}
      <Grid container spacing={2}>
        <Fact label="From">
          <Person party={t.sender} />
        </Fact>
        <Fact label="To">
          <Person party={t.receiver} />
        </Fact>
        <Fact label="When">
          <DateTime value={t.created_at} />
        </Fact>
        <Fact label="Description">{t.description ?? '—'}</Fact>
        <Fact label="Transfer id">
          <code>{t.id}</code>
        </Fact>
        <Fact label="Reason (from metadata)">{String(t.ledger?.metadata.reason ?? '—')}</Fact>
      </Grid>

      <Typography variant="h6" mt={3} mb={1}>
        Ledger entries
      </Typography>
      <Card variant="outlined">
        <Table size="small" data-testid="entries">
          <TableHead>
            <TableRow>
              <TableCell>Account owner</TableCell>
              <TableCell>Direction</TableCell>
              <TableCell align="right">Amount</TableCell>
              <TableCell align="right">Balance after</TableCell>
              <TableCell>Posted</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {/* A record from the list has no entries yet; they come with the transfer's own load. */}
            {!t.entries && <LoadingRow columns={5} />}
            {t.entries?.map((e) => (
              <TableRow key={e.id}>
                <TableCell>
                  {e.owner.type === 'user' && e.owner.id ? (
                    <Link to={`/users/${e.owner.id}/show`}>{e.owner.name}</Link>
                  ) : (
                    e.owner.name
                  )}
                </TableCell>
                <TableCell>{e.direction}</TableCell>
                <TableCell align="right">
                  <Money
                    amount={e.direction === 'debit' ? -e.amount : e.amount}
                    currency={t.currency}
                  />
                </TableCell>
                <TableCell align="right">
                  <Money amount={e.balance_after} currency={t.currency} />
                </TableCell>
                <TableCell>
                  <DateTime value={e.created_at} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Card>
    </CardContent>
  )
}
