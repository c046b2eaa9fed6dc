import Add from '@mui/icons-material/Add'
import Send from '@mui/icons-material/Send'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import List from '@mui/material/List'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import type { User } from '@purse/sdk'
import { Link } from 'react-router'
import { EmailStatus } from '../account/EmailStatus.tsx'
import { Empty, Failed, Loading } from '../common/states.tsx'
import { TransferRow } from '../common/TransferRow.tsx'
import { useCapabilities, useLatestTransfers, useWallets } from '../wallets/queries.ts'
import { OpenWallet } from './OpenWallet.tsx'
import { WalletCard } from './WalletCard.tsx'

export default function Home({ user }: { user: User }) {
  const wallets = useWallets()
  const latest = useLatestTransfers(5)
  const capabilities = useCapabilities()
  return (
    <Stack spacing={3}>
      <Typography variant="h2" component="h1">
        Hi, {user.full_name.split(' ')[0]}
      </Typography>
      <EmailStatus user={user} />
      <section aria-label="Your wallets">
        {wallets.isPending ? (
          <Loading label="Loading your balance" />
        ) : wallets.isError ? (
          <Failed error={wallets.error} retry={() => void wallets.refetch()} />
        ) : (
          <Stack spacing={2}>
            {wallets.data.map((wallet, i) => (
              <WalletCard key={wallet.id} wallet={wallet} main={i === 0} />
            ))}
          </Stack>
        )}
      </section>
      <Stack direction="row" spacing={2}>
        <Button
          component={Link}
          to="/send"
          variant="contained"
          startIcon={<Send />}
          sx={{ flex: 1, py: 1.5 }}
        >
          Send money
        </Button>
        {capabilities.data?.sandbox_deposits && (
          <Button
            component={Link}
            to="/add-money"
            variant="outlined"
            startIcon={<Add />}
            sx={{ flex: 1, py: 1.5 }}
          >
            Add money
          </Button>
        )}
      </Stack>
      <Paper component="section" aria-labelledby="latest-title">
        <Box sx={{ display: 'flex', alignItems: 'baseline', px: 2, pt: 2 }}>
          <Typography id="latest-title" variant="h3" component="h2">
            Latest
          </Typography>
          <Button component={Link} to="/history" size="small" sx={{ ml: 'auto' }}>
            See all
          </Button>
        </Box>
        {latest.isPending ? (
          <Loading label="Loading your payments" />
        ) : latest.isError ? (
          <Failed error={latest.error} retry={() => void latest.refetch()} />
        ) : latest.data.length === 0 ? (
          <Empty>No payments yet. Add money, or share your email so friends can pay you.</Empty>
        ) : (
          <List aria-label="Latest payments">
            {latest.data.map((t) => (
              <TransferRow key={t.id} transfer={t} myId={user.id} />
            ))}
          </List>
        )}
      </Paper>
      {wallets.data && capabilities.data && (
        <OpenWallet
          held={wallets.data.map((w) => w.currency)}
          currencies={capabilities.data.currencies}
        />
      )}
    </Stack>
  )
}
