import AccountBalanceWallet from '@mui/icons-material/AccountBalanceWallet'
import Box from '@mui/material/Box'
import { Link } from 'react-router'

/** The Purse mark, linking home. */
export function Brand({ color = 'inherit' }: { color?: string }) {
  return (
    <Box
      component={Link}
      to="/"
      sx={{
        display: 'flex',
        alignItems: 'center',
        gap: 1,
        color,
        textDecoration: 'none',
        fontWeight: 800,
        fontSize: '1.35rem',
        letterSpacing: '-0.02em',
      }}
    >
      <AccountBalanceWallet aria-hidden />
      Purse
    </Box>
  )
}
