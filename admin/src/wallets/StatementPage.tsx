import DownloadIcon from '@mui/icons-material/Download'
import {
  Box,
  Button,
  Card,
  CardContent,
  CircularProgress,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material'
import type { Statement } from '@purse/sdk'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { Title, useNotify } from 'react-admin'
import { useParams, useSearchParams } from 'react-router-dom'
import { DateTime } from '../common/DateTime.tsx'
import { dayRange } from '../common/days.ts'
import { EmptyState } from '../common/EmptyState.tsx'
import { describe, ErrorState } from '../common/ErrorState.tsx'
import { Money } from '../common/Money.tsx'
import { useConsoleApi } from '../common/useConsole.ts'

/** A wallet's entries, oldest first, with the balance after each; CSV for spreadsheets. */
export function StatementPage() {
  const { id = '' } = useParams()
  const [search] = useSearchParams()
  const currency = search.get('currency') ?? ''
  const who = search.get('user') ?? ''
  const api = useConsoleApi()
  const notify = useNotify()
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const statement = useQuery({
    queryKey: ['statement', id, from, to],
    queryFn: () => api.statement(id, dayRange(from, to)),
  })

  async function download() {
    try {
      const csv = await api.statementCsv(id, dayRange(from, to))
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }))
      const a = Object.assign(document.createElement('a'), {
        href: url,
        download: `purse-${currency || 'wallet'}-statement.csv`,
      })
      a.click()
      URL.revokeObjectURL(url)
    } catch (error) {
      notify(describe(error), { type: 'error' })
    }
  }

  return (
    <Card sx={{ mt: 2 }}>
      <Title title={`Statement ${currency} ${who}`.trim()} />
      <CardContent>
        <Typography variant="h5" mb={2}>
          {who ? `${who} · ` : ''}
          {currency} statement
        </Typography>
        <Stack direction="row" spacing={2} alignItems="center" mb={2}>
          <TextField
            type="date"
            label="From day"
            name="from"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
            slotProps={{ inputLabel: { shrink: true } }}
          />
          <TextField
            type="date"
            label="To day (included)"
            name="to"
            value={to}
            onChange={(e) => setTo(e.target.value)}
            slotProps={{ inputLabel: { shrink: true } }}
          />
          <Button variant="outlined" startIcon={<DownloadIcon />} onClick={download}>
            Export CSV
          </Button>
        </Stack>
        {statement.isPending ? (
          <Box p={4} textAlign="center">
            <CircularProgress />
          </Box>
        ) : statement.isError ? (
          <ErrorState error={statement.error} retry={() => statement.refetch()} />
        ) : (
          <>
            <Typography data-testid="statement-balances" mb={1}>
              Opening balance{' '}
              <Money amount={statement.data.opening_balance} currency={statement.data.currency} />
              {' · '}Closing balance{' '}
              <Money amount={statement.data.closing_balance} currency={statement.data.currency} />
            </Typography>
            {statement.data.data.length === 0 ? (
              <EmptyState title="No entries" hint="Nothing moved in this wallet in these dates." />
            ) : (
              <StatementTable statement={statement.data} />
            )}
          </>
        )}
      </CardContent>
    </Card>
  )
}

/** The period's entries, oldest first, each with the balance after it. */
function StatementTable({ statement }: { statement: Statement }) {
  return (
    <Table size="small" data-testid="statement">
      <TableHead>
        <TableRow>
          <TableCell>Posted</TableCell>
          <TableCell>Kind</TableCell>
          <TableCell>Description</TableCell>
          <TableCell align="right">Amount</TableCell>
          <TableCell align="right">Balance</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {statement.data.map((line) => (
          <TableRow key={line.entry_id}>
            <TableCell>
              <DateTime value={line.posted_at} />
            </TableCell>
            <TableCell>{line.kind ?? '—'}</TableCell>
            <TableCell>{line.description ?? '—'}</TableCell>
            <TableCell align="right">
              <Money
                amount={line.direction === 'debit' ? -line.amount : line.amount}
                currency={statement.currency}
              />
            </TableCell>
            <TableCell align="right">
              <Money amount={line.balance_after} currency={statement.currency} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  )
}
