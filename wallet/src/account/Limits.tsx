import LinearProgress from '@mui/material/LinearProgress'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import type { LimitState } from '@purse/sdk'
import { useQuery } from '@tanstack/react-query'
import { money, when } from '../common/money.ts'
import { Failed, Loading } from '../common/states.tsx'
import { purse } from '../purse.ts'

const titles: Record<LimitState['rule'], string> = {
  per_payment: 'One payment',
  daily: 'In 24 hours',
  new_account_daily: 'In 24 hours, first week',
  monthly: 'In 30 days',
  hourly_count: 'Payments an hour',
}

/** What the person may still send, rule by rule, in the currencies they hold. */
export function Limits({ currencies }: { currencies: string[] }) {
  const limits = useQuery({ queryKey: ['limits'], queryFn: () => purse.limits() })
  return (
    <Paper sx={{ p: 3 }}>
      <Typography variant="h3" component="h2" sx={{ mb: 2 }}>
        Sending limits
      </Typography>
      {limits.isPending && <Loading />}
      {limits.isError && <Failed error={limits.error} retry={() => void limits.refetch()} />}
      {limits.data && (
        <Stack component="ul" spacing={2} sx={{ listStyle: 'none', p: 0, m: 0 }}>
          {limits.data
            .filter((limit) => currencies.includes(limit.currency))
            .map((limit) => (
              <LimitRow key={`${limit.currency}-${limit.rule}`} limit={limit} />
            ))}
        </Stack>
      )}
    </Paper>
  )
}

function LimitRow({ limit }: { limit: LimitState }) {
  const count = limit.rule === 'hourly_count'
  const show = (n: number) => (count ? String(n) : money(n, limit.currency))
  const used = limit.limit > 0 ? Math.min(100, (limit.used / limit.limit) * 100) : 100
  return (
    <Stack component="li" spacing={0.5}>
      <Typography>
        {titles[limit.rule]} ({limit.currency}): {show(limit.limit)}
      </Typography>
      {limit.rule !== 'per_payment' && (
        <>
          <LinearProgress
            variant="determinate"
            value={used}
            aria-label={`${titles[limit.rule]} used`}
          />
          <Typography variant="body2" color="text.secondary">
            {show(limit.remaining)} left
            {limit.resets_at ? ` · more from ${when(limit.resets_at)}` : ''}
          </Typography>
        </>
      )}
    </Stack>
  )
}
