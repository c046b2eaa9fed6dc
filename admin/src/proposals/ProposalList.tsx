import CheckIcon from '@mui/icons-material/Check'
import CloseIcon from '@mui/icons-material/Close'
import HowToVoteIcon from '@mui/icons-material/HowToVote'
import { Button, Stack } from '@mui/material'
import type { Proposal } from '@purse/sdk'
import { useState } from 'react'
import { DataTable, List, SelectInput, useGetIdentity, useRecordContext } from 'react-admin'
import { CursorPagination } from '../common/CursorPagination.tsx'
import { DateTimeField } from '../common/DateTime.tsx'
import { EmptyState } from '../common/EmptyState.tsx'
import { Money } from '../common/Money.tsx'
import { ReasonDialog } from '../common/ReasonDialog.tsx'
import { StatusField } from '../common/StatusChip.tsx'
import { useAction } from '../common/useAction.ts'
import { useConsoleApi, useIsAdmin } from '../common/useConsole.ts'

const filters = [
  <SelectInput
    key="status"
    source="status"
    alwaysOn
    choices={['pending', 'approved', 'rejected', 'expired'].map((s) => ({ id: s, name: s }))}
  />,
]

function Amount() {
  const proposal = useRecordContext<Proposal>()
  return proposal ? <Money amount={proposal.amount} currency={proposal.currency} /> : null
}

/**
 * A second admin's decision. The proposer may withdraw (reject) their own
 * but never approve it; the server refuses it as well.
 */
function Decide() {
  const proposal = useRecordContext<Proposal>()
  const { identity } = useGetIdentity()
  const isAdmin = useIsAdmin()
  const api = useConsoleApi()
  const { busy, run } = useAction()
  const [asking, setAsking] = useState<'approve' | 'reject' | null>(null)
  if (!proposal || !isAdmin || proposal.status !== 'pending') return null
  const own = identity !== undefined && String(identity.id) === proposal.proposed_by?.id
  async function confirm(reason: string) {
    const done =
      asking === 'approve'
        ? await run(() => api.approveProposal(proposal!.id, reason), 'Approved: the money moved')
        : await run(() => api.rejectProposal(proposal!.id, reason), 'Rejected: nothing moved')
    if (done) setAsking(null)
  }
  return (
    <Stack direction="row" spacing={1}>
      {!own && (
        <Button size="small" startIcon={<CheckIcon />} onClick={() => setAsking('approve')}>
          Approve
        </Button>
      )}
      <Button
        size="small"
        color="error"
        startIcon={<CloseIcon />}
        onClick={() => setAsking('reject')}
      >
        {own ? 'Withdraw' : 'Reject'}
      </Button>
      <ReasonDialog
        open={asking !== null}
        title={asking === 'approve' ? 'Approve and move the money?' : 'Reject this proposal?'}
        confirmLabel={asking === 'approve' ? 'Approve' : 'Reject'}
        danger={asking === 'approve'}
        busy={busy}
        onConfirm={confirm}
        onClose={() => setAsking(null)}
      >
        {proposal.kind === 'adjustment' ? 'An adjustment' : 'A reversal'} of{' '}
        <Money amount={proposal.amount} currency={proposal.currency} />, proposed by{' '}
        {proposal.proposed_by?.email}: “{proposal.reason}”.
      </ReasonDialog>
    </Stack>
  )
}

/** Staff money above the approval threshold, waiting for (or decided by) a second admin. */
export function ProposalList() {
  return (
    <List
      filters={filters}
      filterDefaultValues={{ status: 'pending' }}
      pagination={<CursorPagination />}
      empty={
        <EmptyState
          title="Nothing waits for approval"
          hint="Adjustments and reversals above the threshold appear here for a second admin."
        />
      }
      exporter={false}
    >
      <DataTable bulkActionButtons={false} rowClick={false}>
        <DataTable.Col source="created_at" label="Proposed" disableSort>
          <DateTimeField source="created_at" />
        </DataTable.Col>
        <DataTable.Col source="kind" disableSort />
        <DataTable.Col source="amount" align="right" disableSort>
          <Amount />
        </DataTable.Col>
        <DataTable.Col source="proposed_by.email" label="Proposed by" disableSort />
        <DataTable.Col source="reason" disableSort />
        <DataTable.Col source="status" disableSort>
          <StatusField source="status" />
        </DataTable.Col>
        <DataTable.Col label="Decision" disableSort>
          <Decide />
        </DataTable.Col>
      </DataTable>
    </List>
  )
}

export const proposals = { list: ProposalList, icon: HowToVoteIcon }
