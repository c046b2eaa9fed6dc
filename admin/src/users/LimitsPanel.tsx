import EditIcon from '@mui/icons-material/Edit'
import {
  Button,
  Card,
  Chip,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
} from '@mui/material'
import { formatAmount, parseAmount, type LimitState } from '@purse/sdk'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { ErrorState } from '../common/ErrorState.tsx'
import { LoadingRow } from '../common/LoadingRow.tsx'
import { ReasonDialog } from '../common/ReasonDialog.tsx'
import { useAction } from '../common/useAction.ts'
import { useConsoleApi, useIsAdmin, useIsSelf } from '../common/useConsole.ts'

const amount = (limit: LimitState, minor: number) =>
  limit.rule === 'hourly_count' ? String(minor) : formatAmount(minor, limit.currency, 'en-US')

/**
 * A person's payment limits in the currencies of their wallets: what is
 * used and left. An admin sets one for them (audited) or puts it back.
 */
export function LimitsPanel({ userId, currencies }: { userId: string; currencies: string[] }) {
  const api = useConsoleApi()
  const isAdmin = useIsAdmin()
  const self = useIsSelf(userId)
  const { busy, run } = useAction()
  const [editing, setEditing] = useState<LimitState | null>(null)
  const [value, setValue] = useState('')
  const limits = useQuery({ queryKey: ['limits', userId], queryFn: () => api.limits(userId) })
  if (limits.error) return <ErrorState error={limits.error} retry={() => limits.refetch()} />
  let minor: number | null = null
  if (editing && value.trim()) {
    try {
      minor =
        editing.rule === 'hourly_count'
          ? Number.parseInt(value, 10)
          : parseAmount(value, editing.currency)
    } catch {
      minor = null
    }
  }
  async function confirm(reason: string) {
    if (!editing) return
    const done = await run(
      () =>
        api.setLimit(userId, editing.currency, editing.rule, value.trim() ? minor : null, reason),
      'Limit set'
    )
    if (done) {
      setEditing(null)
      await limits.refetch()
    }
  }
  return (
    <Card variant="outlined" data-testid="limits">
      <Table size="small">
        <TableHead>
          <TableRow>
            <TableCell>Rule</TableCell>
            <TableCell align="right">Limit</TableCell>
            <TableCell align="right">Used</TableCell>
            <TableCell align="right">Left</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {limits.isPending && <LoadingRow columns={5} />}
          {limits.data
            ?.filter((limit) => currencies.includes(limit.currency))
            .map((limit) => (
              <TableRow key={`${limit.currency}-${limit.rule}`}>
                <TableCell>
                  {limit.rule} ({limit.currency}){' '}
                  {limit.overridden && <Chip size="small" label="set by staff" />}
                </TableCell>
                <TableCell align="right">{amount(limit, limit.limit)}</TableCell>
                <TableCell align="right">{amount(limit, limit.used)}</TableCell>
                <TableCell align="right">{amount(limit, limit.remaining)}</TableCell>
                <TableCell align="right">
                  {isAdmin && !self && (
                    <Button
                      size="small"
                      startIcon={<EditIcon />}
                      aria-label={`Set ${limit.rule} ${limit.currency}`}
                      onClick={() => {
                        setValue('')
                        setEditing(limit)
                      }}
                    >
                      Set
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            ))}
        </TableBody>
      </Table>
      <ReasonDialog
        open={editing !== null}
        title={`Set ${editing?.rule} (${editing?.currency})`}
        confirmLabel="Set limit"
        busy={busy || (value.trim() !== '' && (minor === null || minor < 0))}
        onConfirm={confirm}
        onClose={() => setEditing(null)}
      >
        <TextField
          name="limit"
          label={editing?.rule === 'hourly_count' ? 'Payments an hour' : 'Amount'}
          helperText="Empty: back to the default"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          fullWidth
          margin="dense"
        />
      </ReasonDialog>
    </Card>
  )
}
