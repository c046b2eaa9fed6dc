import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import List from '@mui/material/List'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import Tab from '@mui/material/Tab'
import Tabs from '@mui/material/Tabs'
import Typography from '@mui/material/Typography'
import type { User } from '@purse/sdk'
import { useInfiniteQuery } from '@tanstack/react-query'
import { useEffect, useRef } from 'react'
import { useSearchParams } from 'react-router'
import { Empty, Failed, Loading } from '../common/states.tsx'
import { TransferRow } from '../common/TransferRow.tsx'
import { purse } from '../purse.ts'
import { Claims } from './Claims.tsx'

const directions = ['all', 'sent', 'received'] as const
type Direction = (typeof directions)[number]
const page_size = 25

/**
 * Every payment, newest first, over the API's cursor pages: the next page
 * loads as the end of the list comes into view (or on "Show more", for
 * keyboards and screen readers). The filter lives in the address, so back works.
 */
export default function History({ user }: { user: User }) {
  const [params, setParams] = useSearchParams()
  const direction: Direction = directions.find((d) => d === params.get('direction')) ?? 'all'
  const pages = useInfiniteQuery({
    queryKey: ['transfers', 'history', direction],
    queryFn: ({ pageParam }) =>
      purse.transfers.list({ direction, limit: page_size }).page(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  })
  const end = useRef<HTMLDivElement>(null)
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = pages
  useEffect(() => {
    const target = end.current
    if (!target || !hasNextPage) return
    const watcher = new IntersectionObserver((seen) => {
      if (seen.some((s) => s.isIntersecting) && !isFetchingNextPage) void fetchNextPage()
    })
    watcher.observe(target)
    return () => watcher.disconnect()
  }, [hasNextPage, isFetchingNextPage, fetchNextPage])

  const transfers = pages.data?.pages.flatMap((p) => p.data) ?? []
  return (
    <Stack spacing={2}>
      <Typography variant="h2" component="h1">
        History
      </Typography>
      <Tabs
        value={direction}
        onChange={(_, value: Direction) => setParams(value === 'all' ? {} : { direction: value })}
        aria-label="Which payments"
        variant="fullWidth"
      >
        <Tab value="all" label="All" />
        <Tab value="sent" label="Sent" />
        <Tab value="received" label="Received" />
      </Tabs>
      <Paper>
        {pages.isPending ? (
          <Loading label="Loading your payments" />
        ) : pages.isError && transfers.length === 0 ? (
          <Failed error={pages.error} retry={() => void pages.refetch()} />
        ) : transfers.length === 0 ? (
          <Empty>{direction === 'all' ? 'No payments yet.' : `Nothing ${direction} yet.`}</Empty>
        ) : (
          <List aria-label="Payments">
            {transfers.map((t) => (
              <TransferRow key={t.id} transfer={t} myId={user.id} />
            ))}
          </List>
        )}
      </Paper>
      {direction !== 'received' && <Claims />}
      <Box ref={end} sx={{ textAlign: 'center', minHeight: 40 }}>
        {pages.isFetchNextPageError && (
          <Failed error={pages.error} retry={() => void fetchNextPage()} />
        )}
        {hasNextPage && !pages.isFetchNextPageError && (
          <Button onClick={() => void fetchNextPage()} disabled={isFetchingNextPage}>
            {isFetchingNextPage ? 'Loading more…' : 'Show more'}
          </Button>
        )}
      </Box>
    </Stack>
  )
}
