import ReceiptLongIcon from '@mui/icons-material/ReceiptLong'
import {
  Box,
  Button,
  Card,
  CardContent,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material'
import type { UserWithWallets } from '@purse/sdk'
import { Link, ReferenceManyField, Show, TopToolbar, useRecordContext } from 'react-admin'
import { DateTime } from '../common/DateTime.tsx'
import { EmptyState } from '../common/EmptyState.tsx'
import { LoadingRow } from '../common/LoadingRow.tsx'
import { Money } from '../common/Money.tsx'
import { StatusChip } from '../common/StatusChip.tsx'
import { ApiKeysPanel } from '../partners/ApiKeysPanel.tsx'
import { WebhookEndpointsPanel } from '../partners/WebhookEndpointsPanel.tsx'
import { TransferTable } from '../transfers/TransferTable.tsx'
import { useIsAdmin, useIsSelf } from '../common/useConsole.ts'
import { AdjustButton } from './AdjustButton.tsx'
import { FreezeButton } from './FreezeButton.tsx'
import { LimitsPanel } from './LimitsPanel.tsx'
import { SecurityPanel } from './SecurityPanel.tsx'

export function UserShow() {
  return (
    <Show actions={<UserActions />} emptyWhileLoading>
      <UserDetail />
    </Show>
  )
}

function UserActions() {
  return (
    <TopToolbar>
      <FreezeButton />
    </TopToolbar>
  )
}

function UserDetail() {
  const user = useRecordContext<UserWithWallets>()
  const isAdmin = useIsAdmin()
  const self = useIsSelf(user?.id)
  if (!user) return null
  return (
    <CardContent>
      <Stack direction="row" spacing={2} alignItems="center" mb={2}>
        <Typography variant="h5">{user.full_name}</Typography>
        <StatusChip value={user.status} />
        <StatusChip value={user.role} />
      </Stack>
      <Typography color="text.secondary">
        {user.email}
        {user.phone ? ` · ${user.phone}` : ''} · signed up <DateTime value={user.created_at} />
      </Typography>

      <Typography variant="h6" mt={3} mb={1}>
        Wallets
      </Typography>
      <Card variant="outlined">
        <Table size="small" data-testid="wallets">
          <TableHead>
            <TableRow>
              <TableCell>Currency</TableCell>
              <TableCell align="right">Balance</TableCell>
              <TableCell align="right">Available</TableCell>
              <TableCell>Status</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {/* A record from the list has no wallets yet; they come with the user's own load. */}
            {!user.wallets && <LoadingRow columns={5} />}
            {user.wallets?.map((wallet) => (
              <TableRow key={wallet.id} data-testid={`wallet-${wallet.currency}`}>
                <TableCell>{wallet.currency}</TableCell>
                <TableCell align="right" data-testid="balance">
                  <Money amount={wallet.balance} currency={wallet.currency} />
                </TableCell>
                <TableCell align="right">
                  <Money amount={wallet.available_balance} currency={wallet.currency} />
                </TableCell>
                <TableCell>
                  <StatusChip value={wallet.status} />
                </TableCell>
                <TableCell align="right">
                  <Button
                    size="small"
                    component={Link}
                    to={`/wallets/${wallet.id}/statement?currency=${wallet.currency}&user=${encodeURIComponent(user.full_name)}`}
                    startIcon={<ReceiptLongIcon />}
                  >
                    Statement
                  </Button>
                  {isAdmin && !self && <AdjustButton wallet={wallet} />}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Card>

      <Typography variant="h6" mt={3} mb={1}>
        Account security
      </Typography>
      <SecurityPanel user={user} />

      <Typography variant="h6" mt={3} mb={1}>
        Sending limits
      </Typography>
      <LimitsPanel userId={user.id} currencies={(user.wallets ?? []).map((w) => w.currency)} />

      <Typography variant="h6" mt={3} mb={1}>
        API keys
      </Typography>
      <ApiKeysPanel userId={user.id} />

      <Typography variant="h6" mt={3} mb={1}>
        Webhook endpoints
      </Typography>
      <WebhookEndpointsPanel userId={user.id} />

      <Typography variant="h6" mt={3} mb={1}>
        Transfers
      </Typography>
      <Box>
        <ReferenceManyField reference="transfers" target="user_id" perPage={10}>
          <TransferTable
            empty={<EmptyState title="No transfers" hint="Nothing has moved in or out yet." />}
          />
        </ReferenceManyField>
      </Box>
    </CardContent>
  )
}
