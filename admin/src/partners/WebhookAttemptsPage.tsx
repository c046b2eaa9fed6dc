import ReplayIcon from '@mui/icons-material/Replay'
import {
  Button,
  Card,
  CardContent,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { Title } from 'react-admin'
import { useParams, useSearchParams } from 'react-router-dom'
import { DateTime } from '../common/DateTime.tsx'
import { EmptyState } from '../common/EmptyState.tsx'
import { ErrorState } from '../common/ErrorState.tsx'
import { LoadingRow } from '../common/LoadingRow.tsx'
import { ReasonDialog } from '../common/ReasonDialog.tsx'
import { useAction } from '../common/useAction.ts'
import { useConsoleApi } from '../common/useConsole.ts'

/** Every try to deliver to one endpoint, newest first; an event can be sent again. */
export function WebhookAttemptsPage() {
  const { id = '' } = useParams()
  const [search] = useSearchParams()
  const api = useConsoleApi()
  const attempts = useQuery({
    queryKey: ['webhook-attempts', id],
    queryFn: () => api.webhookAttempts(id),
  })
  return (
    <Card sx={{ mt: 2 }}>
      <Title title="Webhook attempts" />
      <CardContent>
        <Typography variant="h6">Delivery attempts</Typography>
        <Typography color="text.secondary" mb={2} sx={{ overflowWrap: 'anywhere' }}>
          {search.get('url')}
        </Typography>
        {attempts.error ? (
          <ErrorState error={attempts.error} retry={() => attempts.refetch()} />
        ) : attempts.data?.data.length === 0 ? (
          <EmptyState
            title="No attempts yet"
            hint="Deliveries appear here as the dispatcher makes them."
          />
        ) : (
          <Table size="small" data-testid="webhook-attempts">
            <TableHead>
              <TableRow>
                <TableCell>When</TableCell>
                <TableCell>Event</TableCell>
                <TableCell>Try</TableCell>
                <TableCell>Answer</TableCell>
                <TableCell align="right">Took</TableCell>
                <TableCell />
              </TableRow>
            </TableHead>
            <TableBody>
              {attempts.isPending && <LoadingRow columns={6} />}
              {attempts.data?.data.map((attempt) => (
                <TableRow key={attempt.id}>
                  <TableCell>
                    <DateTime value={attempt.created_at} />
                  </TableCell>
                  <TableCell>
                    <code>{attempt.event_id.slice(0, 8)}…</code>
                  </TableCell>
                  <TableCell>{attempt.attempt}</TableCell>
                  <TableCell sx={{ overflowWrap: 'anywhere', maxWidth: 360 }}>
                    {attempt.response_status ?? attempt.error}
                    {attempt.response_body ? ` · ${attempt.response_body.slice(0, 80)}` : ''}
                  </TableCell>
                  <TableCell align="right">{attempt.duration_ms} ms</TableCell>
                  <TableCell align="right">
                    <ResendButton
                      endpointId={id}
                      eventId={attempt.event_id}
                      onDone={() => attempts.refetch()}
                    />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  )
}

function ResendButton(props: { endpointId: string; eventId: string; onDone: () => void }) {
  const api = useConsoleApi()
  const { busy, run } = useAction()
  const [open, setOpen] = useState(false)
  async function confirm(reason: string) {
    if (await run(() => api.resendWebhook(props.endpointId, props.eventId, reason), 'Sent again')) {
      setOpen(false)
      props.onDone()
    }
  }
  return (
    <>
      <Button size="small" startIcon={<ReplayIcon />} onClick={() => setOpen(true)}>
        Resend
      </Button>
      <ReasonDialog
        open={open}
        title="Send this event again?"
        confirmLabel="Resend"
        busy={busy}
        onConfirm={confirm}
        onClose={() => setOpen(false)}
      >
        The dispatcher delivers it once more, signed as before; the receiver sees the same event id.
      </ReasonDialog>
    </>
  )
}
