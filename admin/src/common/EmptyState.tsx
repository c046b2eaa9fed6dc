import { Box, Typography } from '@mui/material'
import InboxIcon from '@mui/icons-material/Inbox'

/** What a list shows when nothing matches, instead of a blank page. */
export function EmptyState({ title, hint }: { title: string; hint: string }) {
  return (
    <Box textAlign="center" p={6} color="text.secondary" data-testid="empty-state">
      <InboxIcon sx={{ fontSize: 64, opacity: 0.4 }} />
      <Typography variant="h6">{title}</Typography>
      <Typography variant="body2">{hint}</Typography>
    </Box>
  )
}
