import KeyOffIcon from '@mui/icons-material/KeyOff'
import {
  Button,
  Card,
  Chip,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
} from '@mui/material'
import type { ApiKey } from '@purse/sdk'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { DateTime } from '../common/DateTime.tsx'
import { ErrorState } from '../common/ErrorState.tsx'
import { LoadingRow } from '../common/LoadingRow.tsx'
import { ReasonDialog } from '../common/ReasonDialog.tsx'
import { useAction } from '../common/useAction.ts'
import { useConsoleApi } from '../common/useConsole.ts'

/** A person's API keys (never their secrets), each revocable with a reason for the audit log. */
export function ApiKeysPanel({ userId }: { userId: string }) {
  const api = useConsoleApi()
  const keys = useQuery({ queryKey: ['api-keys', userId], queryFn: () => api.apiKeys(userId) })
  if (keys.error) return <ErrorState error={keys.error} retry={() => keys.refetch()} />
  return (
    <Card variant="outlined">
      <Table size="small" data-testid="api-keys">
        <TableHead>
          <TableRow>
            <TableCell>Name</TableCell>
            <TableCell>Key</TableCell>
            <TableCell>Scopes</TableCell>
            <TableCell>Last used</TableCell>
            <TableCell>Status</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {keys.isPending && <LoadingRow columns={6} />}
          {keys.data?.length === 0 && (
            <TableRow>
              <TableCell colSpan={6}>No API keys.</TableCell>
            </TableRow>
          )}
          {keys.data?.map((key) => (
            <TableRow key={key.id} data-testid={`api-key-${key.id}`}>
              <TableCell>{key.name}</TableCell>
              <TableCell>
                <code>{key.prefix}…</code>
              </TableCell>
              <TableCell>
                <Stack direction="row" gap={0.5} flexWrap="wrap">
                  {key.scopes.map((scope) => (
                    <Chip key={scope} size="small" label={scope} variant="outlined" />
                  ))}
                </Stack>
              </TableCell>
              <TableCell>
                {key.last_used_at ? <DateTime value={key.last_used_at} /> : 'never'}
              </TableCell>
              <TableCell>{keyStatus(key)}</TableCell>
              <TableCell align="right">
                {!key.revoked_at && <RevokeButton apiKey={key} onDone={() => keys.refetch()} />}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Card>
  )
}

function keyStatus(key: ApiKey) {
  if (key.revoked_at) return <Chip size="small" label="revoked" />
  if (key.expires_at && new Date(key.expires_at) <= new Date())
    return <Chip size="small" label="expired" />
  return <Chip size="small" color="success" label="live" />
}

function RevokeButton({ apiKey, onDone }: { apiKey: ApiKey; onDone: () => void }) {
  const api = useConsoleApi()
  const { busy, run } = useAction()
  const [open, setOpen] = useState(false)
  async function confirm(reason: string) {
    if (await run(() => api.revokeApiKey(apiKey.id, reason), 'API key revoked')) {
      setOpen(false)
      onDone()
    }
  }
  return (
    <>
      <Button size="small" color="error" startIcon={<KeyOffIcon />} onClick={() => setOpen(true)}>
        Revoke
      </Button>
      <ReasonDialog
        open={open}
        title={`Revoke the key "${apiKey.name}"?`}
        confirmLabel="Revoke key"
        danger
        busy={busy}
        onConfirm={confirm}
        onClose={() => setOpen(false)}
      >
        Every request made with it is refused from now on, on every server. The owner can make a new
        one.
      </ReasonDialog>
    </>
  )
}
