import Box from '@mui/material/Box'
import Card from '@mui/material/Card'
import CardActionArea from '@mui/material/CardActionArea'
import Typography from '@mui/material/Typography'
import type { Wallet } from '@purse/sdk'
import { Link } from 'react-router'
import { currencyName, money } from '../common/money.ts'

/** A wallet's balance, large; held money (available below balance) said when there is some. */
export function WalletCard({ wallet, main }: { wallet: Wallet; main: boolean }) {
  const held = wallet.balance !== wallet.available_balance
  return (
    <Card
      data-testid={`wallet-${wallet.currency}`}
      sx={main ? { bgcolor: 'secondary.main', color: '#fff', border: 'none' } : undefined}
    >
      <CardActionArea component={Link} to={`/wallets/${wallet.currency}`} sx={{ p: 3 }}>
        <Typography sx={{ opacity: 0.9 }}>{currencyName(wallet.currency)}</Typography>
        <Typography
          data-testid="balance"
          variant={main ? 'h1' : 'h2'}
          component="p"
          sx={{ my: 1, overflowWrap: 'anywhere' }}
        >
          {money(wallet.balance, wallet.currency)}
        </Typography>
        <Box sx={{ display: 'flex', gap: 2, opacity: 0.9 }}>
          {held && (
            <Typography>{money(wallet.available_balance, wallet.currency)} available</Typography>
          )}
          {wallet.status !== 'active' && <Typography>Wallet {wallet.status}</Typography>}
          <Typography sx={{ ml: 'auto' }}>Statement ›</Typography>
        </Box>
      </CardActionArea>
    </Card>
  )
}
