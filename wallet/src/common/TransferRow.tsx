import ListItem from '@mui/material/ListItem'
import ListItemButton from '@mui/material/ListItemButton'
import ListItemText from '@mui/material/ListItemText'
import Typography from '@mui/material/Typography'
import type { Transfer } from '@purse/sdk'
import { Link } from 'react-router'
import { money, when } from './money.ts'
import { fromMySide } from './transfer_text.ts'

/** One line of history: with whom, what for, when, and the amount signed from my side. */
export function TransferRow({ transfer, myId }: { transfer: Transfer; myId: string }) {
  const side = fromMySide(transfer, myId)
  const amount = `${side.sign}${money(transfer.amount, transfer.currency)}`
  return (
    <ListItem disablePadding divider>
      <ListItemButton component={Link} to={`/transfers/${transfer.id}`}>
        <ListItemText
          // Names and descriptions are other people's text: rendered as text, never as HTML.
          primary={side.title}
          secondary={[transfer.description, when(transfer.created_at)].filter(Boolean).join(' · ')}
          slotProps={{ secondary: { sx: { overflowWrap: 'anywhere' } } }}
        />
        <Typography
          sx={{ fontWeight: 600, whiteSpace: 'nowrap', ml: 2 }}
          color={side.incoming ? 'success.main' : 'text.primary'}
        >
          {amount}
          {transfer.status === 'reversed' && (
            <Typography component="span" variant="caption" display="block" color="text.secondary">
              reversed
            </Typography>
          )}
        </Typography>
      </ListItemButton>
    </ListItem>
  )
}
