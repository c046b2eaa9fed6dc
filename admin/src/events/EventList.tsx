import EventNoteIcon from '@mui/icons-material/EventNote'
import type { PurseEvent } from '@purse/sdk'
import {
  AutocompleteInput,
  DataTable,
  List,
  ReferenceField,
  ReferenceInput,
  SelectInput,
  TextField,
  useRecordContext,
} from 'react-admin'
import { CursorPagination } from '../common/CursorPagination.tsx'
import { DateTimeField } from '../common/DateTime.tsx'
import { EmptyState } from '../common/EmptyState.tsx'

const types = [
  'transfer.completed',
  'transfer.reversed',
  'transfer.refunded',
  'deposit.completed',
  'adjustment.created',
  'account.frozen',
  'account.unfrozen',
  'api_key.created',
  'api_key.revoked',
]

const filters = [
  <ReferenceInput key="user" source="user_id" reference="users" alwaysOn>
    <AutocompleteInput
      label="Person"
      optionText={(u) => `${u.full_name} <${u.email}>`}
      filterToQuery={(q) => ({ q })}
    />
  </ReferenceInput>,
  <SelectInput
    key="type"
    source="type"
    alwaysOn
    choices={types.map((t) => ({ id: t, name: t }))}
  />,
]

/** What the event says, in a line: the transfer's amount, the key's name, the person's status. */
function Summary() {
  const event = useRecordContext<PurseEvent>()
  if (!event) return null
  if ('amount' in event.data)
    return <>{`${event.data.amount} ${event.data.currency} (${event.data.kind})`}</>
  if ('scopes' in event.data) return <>{`key "${event.data.name}"`}</>
  return <>{`status ${event.data.status}`}</>
}

/** Every event the outbox holds, newest first: what partners were (or will be) told. */
export function EventList() {
  return (
    <List
      filters={filters}
      pagination={<CursorPagination />}
      exporter={false}
      empty={<EmptyState title="No events yet" hint="Payments and staff actions make them." />}
    >
      <DataTable bulkActionButtons={false} rowClick={false}>
        <DataTable.Col source="created_at" label="When" disableSort>
          <DateTimeField source="created_at" />
        </DataTable.Col>
        <DataTable.Col source="type" disableSort />
        <DataTable.Col source="user_id" label="Person" disableSort>
          <ReferenceField source="user_id" reference="users" link="show">
            <TextField source="full_name" />
          </ReferenceField>
        </DataTable.Col>
        <DataTable.Col label="What" disableSort>
          <Summary />
        </DataTable.Col>
      </DataTable>
    </List>
  )
}

export const events = { list: EventList, icon: EventNoteIcon }
