import Alert from '@mui/material/Alert'
import Button from '@mui/material/Button'
import List from '@mui/material/List'
import ListItem from '@mui/material/ListItem'
import ListItemText from '@mui/material/ListItemText'
import Paper from '@mui/material/Paper'
import Typography from '@mui/material/Typography'
import type { SignedInSession } from '@purse/sdk'
import { useMutation, useQuery } from '@tanstack/react-query'
import { onDay } from '../common/money.ts'
import { problemText } from '../common/problems.ts'
import { Failed, Loading } from '../common/states.tsx'
import { purse, queryClient } from '../purse.ts'

const sessions_key = ['sessions'] as const

/** Where the person is signed in; any other device can be signed out from here. */
export function Sessions() {
  const sessions = useQuery({ queryKey: sessions_key, queryFn: () => purse.sessions.list() })
  const refresh = () => queryClient.invalidateQueries({ queryKey: sessions_key })
  const end = useMutation({
    mutationFn: (id: string) => purse.sessions.end(id),
    onSettled: refresh,
  })
  const endOthers = useMutation({
    mutationFn: () => purse.sessions.endOthers(),
    onSettled: refresh,
  })
  const others = sessions.data?.filter((s) => !s.current) ?? []
  return (
    <Paper sx={{ p: 3 }}>
      <Typography variant="h3" component="h2" sx={{ mb: 1 }}>
        Devices
      </Typography>
      {sessions.isPending && <Loading label="Loading your devices" />}
      {sessions.isError && <Failed error={sessions.error} retry={() => void sessions.refetch()} />}
      {(end.isError || endOthers.isError) && (
        <Alert severity="error">{problemText(end.error ?? endOthers.error)}</Alert>
      )}
      {sessions.data && (
        <List aria-label="Signed-in devices">
          {sessions.data.map((session) => (
            <ListItem
              key={session.id}
              divider
              secondaryAction={
                session.current ? null : (
                  <Button
                    size="small"
                    color="error"
                    disabled={end.isPending}
                    onClick={() => end.mutate(session.id)}
                    aria-label={`Sign out ${deviceName(session)}`}
                  >
                    Sign out
                  </Button>
                )
              }
            >
              <ListItemText
                primary={`${deviceName(session)}${session.current ? ' (this device)' : ''}`}
                secondary={`Signed in ${onDay(session.created_at)} · last used ${onDay(session.last_used_at)}${session.ip_prefix ? ` · network ${session.ip_prefix}` : ''}`}
              />
            </ListItem>
          ))}
        </List>
      )}
      {others.length > 0 && (
        <Button
          variant="outlined"
          color="error"
          disabled={endOthers.isPending}
          onClick={() => endOthers.mutate()}
        >
          Sign out every other device
        </Button>
      )}
    </Paper>
  )
}

/** A user agent, shortened to what a person recognises. */
function deviceName(session: SignedInSession): string {
  const agent = session.user_agent ?? ''
  const browser = /(Firefox|Edg|Chrome|Safari)\/[\d.]+/.exec(agent)?.[1]
  const system = /(Windows|Android|iPhone|iPad|Mac OS X|Linux)/.exec(agent)?.[1]
  if (browser || system)
    return [browser === 'Edg' ? 'Edge' : browser, system].filter(Boolean).join(' on ')
  return agent || 'Unknown device'
}
