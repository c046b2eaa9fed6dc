import {
  AutocompleteInput,
  DateInput,
  List,
  ReferenceInput,
  SelectInput,
  TextInput,
} from 'react-admin'
import { CursorPagination } from '../common/CursorPagination.tsx'
import { EmptyState } from '../common/EmptyState.tsx'
import { TransferTable } from './TransferTable.tsx'

const currencies = ['USD', 'EUR', 'GBP', 'JPY'].map((c) => ({ id: c, name: c }))

const filters = [
  <ReferenceInput key="user" source="user_id" reference="users" alwaysOn>
    <AutocompleteInput
      label="User"
      optionText={(u) => `${u.full_name} <${u.email}>`}
      filterToQuery={(q) => ({ q })}
    />
  </ReferenceInput>,
  <SelectInput
    key="status"
    source="status"
    alwaysOn
    choices={[
      { id: 'completed', name: 'Completed' },
      { id: 'reversed', name: 'Reversed' },
    ]}
  />,
  <SelectInput
    key="kind"
    source="kind"
    choices={['p2p', 'deposit', 'reversal', 'adjustment'].map((k) => ({ id: k, name: k }))}
  />,
  <DateInput key="from" source="from" label="From day" />,
  <DateInput key="to" source="to" label="To day (included)" />,
  <SelectInput key="currency" source="currency" choices={currencies} />,
  <TextInput key="min" source="min" label="Min amount" placeholder="10.00" />,
  <TextInput key="max" source="max" label="Max amount" placeholder="500.00" />,
]

export function TransferList() {
  return (
    <List
      filters={filters}
      pagination={<CursorPagination />}
      empty={
        <EmptyState title="No transfers yet" hint="Payments appear here as people make them." />
      }
      exporter={false}
    >
      <TransferTable
        withDescription
        empty={
          <EmptyState title="Nothing matches" hint="Loosen a filter: dates, status or amount." />
        }
      />
    </List>
  )
}
