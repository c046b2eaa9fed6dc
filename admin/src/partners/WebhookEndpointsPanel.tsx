import ListAltIcon from '@mui/icons-material/ListAlt'
import {
  Button,
  Card,
  Chip,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tooltip,
} from '@mui/material'
import { useQuery } from '@tanstack/react-query'
import { Link } from 'react-admin'
import { ErrorState } from '../common/ErrorState.tsx'
import { LoadingRow } from '../common/LoadingRow.tsx'
import { useConsoleApi } from '../common/useConsole.ts'

/** A person's webhook endpoints (never their secrets), with a link to every delivery attempt. */
export function WebhookEndpointsPanel({ userId }: { userId: string }) {
  const api = useConsoleApi()
  const endpoints = useQuery({
    queryKey: ['webhook-endpoints', userId],
    queryFn: () => api.webhookEndpoints(userId),
  })
  if (endpoints.error)
    return <ErrorState error={endpoints.error} retry={() => endpoints.refetch()} />
  return (
    <Card variant="outlined">
      <Table size="small" data-testid="webhook-endpoints">
        <TableHead>
          <TableRow>
            <TableCell>URL</TableCell>
            <TableCell>Events</TableCell>
            <TableCell>Status</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {endpoints.isPending && <LoadingRow columns={4} />}
          {endpoints.data?.length === 0 && (
            <TableRow>
              <TableCell colSpan={4}>No webhook endpoints.</TableCell>
            </TableRow>
          )}
          {endpoints.data?.map((endpoint) => (
            <TableRow key={endpoint.id}>
              <TableCell sx={{ overflowWrap: 'anywhere', maxWidth: 360 }}>{endpoint.url}</TableCell>
              <TableCell>
                {endpoint.event_types.length ? endpoint.event_types.join(', ') : 'all'}
              </TableCell>
              <TableCell>
                {endpoint.enabled ? (
                  <Chip
                    size="small"
                    color={endpoint.failing_since ? 'warning' : 'success'}
                    label={endpoint.failing_since ? 'failing' : 'enabled'}
                  />
                ) : (
                  <Tooltip title={endpoint.disabled_reason ?? 'disabled by its owner'}>
                    <Chip size="small" color="error" label="disabled" />
                  </Tooltip>
                )}
              </TableCell>
              <TableCell align="right">
                <Button
                  size="small"
                  component={Link}
                  to={`/webhook-endpoints/${endpoint.id}/attempts?url=${encodeURIComponent(endpoint.url)}`}
                  startIcon={<ListAltIcon />}
                >
                  Attempts
                </Button>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Card>
  )
}
