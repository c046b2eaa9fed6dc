import HistoryIcon from '@mui/icons-material/History'
import {
  AutocompleteInput,
  DataTable,
  DateInput,
  Link,
  List,
  ReferenceInput,
  SelectInput,
  TextField,
  TextInput,
  useRecordContext,
} from 'react-admin'
import type { AuditEntry } from '@purse/sdk'
import { CursorPagination } from '../common/CursorPagination.tsx'
import { DateTimeField } from '../common/DateTime.tsx'
import { EmptyState } from '../common/EmptyState.tsx'

const actions = [
  'user.freeze',
  'user.unfreeze',
  'user.set_role',
  'transfer.reverse',
  'wallet.adjust',
  'proposal.adjustment',
  'proposal.reversal',
  'proposal.approve',
  'proposal.reject',
  'api_key.revoke',
  'webhook.resend',
]

const filters = [
  <ReferenceInput key="actor" source="actor_id" reference="users" alwaysOn>
    <AutocompleteInput
      label="Done by"
      optionText={(u) => `${u.full_name} <${u.email}>`}
      filterToQuery={(q) => ({ q })}
    />
  </ReferenceInput>,
  <SelectInput
    key="action"
    source="action"
    alwaysOn
    choices={actions.map((a) => ({ id: a, name: a }))}
  />,
  <SelectInput
    key="target_type"
    source="target_type"
    label="Target"
    choices={['user', 'transfer', 'wallet', 'api_key', 'webhook_endpoint'].map((t) => ({
      id: t,
      name: t,
    }))}
  />,
  <TextInput key="target_id" source="target_id" label="Target id" />,
  <DateInput key="from" source="from" label="From day" />,
  <DateInput key="to" source="to" label="To day (included)" />,
]

/** The target of an action, linked where the console has a page for it. */
function Target() {
  const entry = useRecordContext<AuditEntry>()
  if (!entry) return null
  if (entry.target_type === 'user')
    return <Link to={`/users/${entry.target_id}/show`}>user {entry.target_id.slice(0, 8)}…</Link>
  if (entry.target_type === 'transfer')
    return (
      <Link to={`/transfers/${entry.target_id}/show`}>transfer {entry.target_id.slice(0, 8)}…</Link>
    )
  return <span>wallet {entry.target_id.slice(0, 8)}…</span>
}

export function AuditList() {
  return (
    <List
      filters={filters}
      pagination={<CursorPagination />}
      title="Audit log"
      empty={
        <EmptyState
          title="No actions yet"
          hint="Every freeze, reversal and adjustment is recorded here."
        />
      }
      exporter={false}
    >
      <DataTable
        bulkActionButtons={false}
        rowClick={false}
        empty={<EmptyState title="Nothing matches" hint="Loosen a filter." />}
      >
        <DataTable.Col source="created_at" label="When" disableSort>
          <DateTimeField source="created_at" />
        </DataTable.Col>
        <DataTable.Col source="actor.email" label="Who" disableSort>
          {/* No actor: an operator ran a command (node ace users:promote). */}
          <TextField source="actor.email" emptyText="command line" />
        </DataTable.Col>
        <DataTable.Col source="action" disableSort />
        <DataTable.Col label="Target" disableSort>
          <Target />
        </DataTable.Col>
        <DataTable.Col source="reason" label="Why" disableSort />
        <DataTable.Col source="request_id" label="Request" disableSort>
          <TextField
            source="request_id"
            emptyText="—"
            sx={{ fontFamily: 'monospace', fontSize: 12 }}
          />
        </DataTable.Col>
      </DataTable>
    </List>
  )
}

export const audit = { list: AuditList, icon: HistoryIcon, options: { label: 'Audit log' } }
