import Download from '@mui/icons-material/Download'
import Alert from '@mui/material/Alert'
import Button from '@mui/material/Button'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useParams, useSearchParams } from 'react-router'
import { currencyName, money } from '../common/money.ts'
import { isNotFound, problemText } from '../common/problems.ts'
import { Failed, Loading } from '../common/states.tsx'
import { purse } from '../purse.ts'
import { daysToInstants, thisMonth } from './days.ts'
import { StatementTable } from './StatementTable.tsx'

/**
 * One wallet: its balance and its statement for a range of days (kept in
 * the address, so it can be bookmarked), and the API's own CSV of it.
 */
export default function WalletPage() {
  const currency = (useParams().currency ?? '').toUpperCase()
  const [params, setParams] = useSearchParams()
  const from = params.get('from') ?? thisMonth().from
  const to = params.get('to') ?? thisMonth().to
  const range = daysToInstants(from, to)
  const statement = useQuery({
    queryKey: ['wallets', currency, 'statement', range],
    queryFn: () => purse.wallets.statement(currency, range),
  })
  const csv = useMutation({
    mutationFn: () => purse.wallets.statementCsv(currency, range),
    onSuccess: (text) => save(text, `purse-${currency}-${from}-to-${to}.csv`),
  })
  const setDay = (field: 'from' | 'to') => (e: { target: { value: string } }) => {
    const next = new URLSearchParams({ from, to })
    next.set(field, e.target.value)
    setParams(next, { replace: true })
  }
  if (isNotFound(statement.error))
    return (
      <Alert severity="info">
        You have no {currencyName(currency)} wallet. Open one from Home.
      </Alert>
    )
  return (
    <Stack spacing={3}>
      <Typography variant="h2" component="h1">
        {currencyName(currency)} wallet
      </Typography>
      <Stack
        component="form"
        direction={{ xs: 'column', sm: 'row' }}
        spacing={2}
        aria-label="Statement dates"
      >
        <TextField
          type="date"
          label="From"
          value={from}
          onChange={setDay('from')}
          slotProps={{ inputLabel: { shrink: true } }}
        />
        <TextField
          type="date"
          label="To"
          value={to}
          onChange={setDay('to')}
          slotProps={{ inputLabel: { shrink: true } }}
        />
        <Button
          startIcon={<Download />}
          onClick={() => csv.mutate()}
          disabled={csv.isPending || !statement.isSuccess}
          sx={{ alignSelf: { sm: 'center' } }}
        >
          Download CSV
        </Button>
      </Stack>
      {csv.isError && <Alert severity="error">{problemText(csv.error)}</Alert>}
      {statement.isPending ? (
        <Loading label="Loading the statement" />
      ) : statement.isError ? (
        <Failed error={statement.error} retry={() => void statement.refetch()} />
      ) : (
        <Paper sx={{ p: 2 }}>
          <Stack direction="row" sx={{ justifyContent: 'space-between', mb: 2 }}>
            <Typography>
              Opening <strong>{money(statement.data.opening_balance, currency)}</strong>
            </Typography>
            <Typography data-testid="closing-balance">
              Closing <strong>{money(statement.data.closing_balance, currency)}</strong>
            </Typography>
          </Stack>
          <StatementTable lines={statement.data.data} currency={currency} />
        </Paper>
      )}
    </Stack>
  )
}

/** Hand the API's CSV to the browser as a file. */
function save(text: string, name: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }))
  const link = document.createElement('a')
  link.href = url
  link.download = name
  link.click()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
