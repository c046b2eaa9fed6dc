import Table from '@mui/material/Table'
import TableBody from '@mui/material/TableBody'
import TableCell from '@mui/material/TableCell'
import TableHead from '@mui/material/TableHead'
import TableRow from '@mui/material/TableRow'
import Typography from '@mui/material/Typography'
import type { components } from '@purse/sdk'
import { Link } from 'react-router'
import { money, when } from '../common/money.ts'
import { Empty } from '../common/states.tsx'

type Line = components['schemas']['Statement']['data'][number]

const kinds: Record<string, string> = {
  p2p: 'Payment',
  deposit: 'Added money',
  reversal: 'Reversal',
  refund: 'Refund',
  adjustment: 'Balance correction',
}

/** The statement's entries, oldest first, each with the balance after it. */
export function StatementTable({ lines, currency }: { lines: Line[]; currency: string }) {
  if (lines.length === 0) return <Empty>Nothing moved in these days.</Empty>
  return (
    <Table size="small" aria-label="Statement">
      <TableHead>
        <TableRow>
          <TableCell>When</TableCell>
          <TableCell>What</TableCell>
          <TableCell align="right">Amount</TableCell>
          <TableCell align="right">Balance</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {lines.map((line) => (
          <TableRow key={line.entry_id}>
            <TableCell>{when(line.posted_at)}</TableCell>
            <TableCell sx={{ overflowWrap: 'anywhere' }}>
              <Link to={`/transfers/${line.transfer_id}`}>
                {kinds[line.kind ?? ''] ?? 'Transfer'}
              </Link>
              {line.description && (
                <Typography variant="body2" color="text.secondary">
                  {line.description}
                </Typography>
              )}
            </TableCell>
            <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
              {line.direction === 'credit' ? '+' : '−'}
              {money(line.amount, currency)}
            </TableCell>
            <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
              {money(line.balance_after, currency)}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  )
}
