import { DataTable, List, SearchInput, TextField } from 'react-admin'
import { CursorPagination } from '../common/CursorPagination.tsx'
import { DateTimeField } from '../common/DateTime.tsx'
import { EmptyState } from '../common/EmptyState.tsx'
import { StatusField } from '../common/StatusChip.tsx'

const filters = [<SearchInput key="q" source="q" placeholder="Email or name" alwaysOn />]

export function UserList() {
  return (
    <List
      filters={filters}
      pagination={<CursorPagination />}
      sort={{ field: 'created_at', order: 'DESC' }}
      empty={<EmptyState title="No users yet" hint="People appear here once they sign up." />}
      exporter={false}
    >
      <DataTable
        rowClick="show"
        bulkActionButtons={false}
        empty={<EmptyState title="No one matches" hint="Try part of an email or a name." />}
      >
        <DataTable.Col source="full_name" label="Name" disableSort />
        <DataTable.Col source="email" disableSort>
          <TextField source="email" />
        </DataTable.Col>
        <DataTable.Col source="role" disableSort>
          <StatusField source="role" />
        </DataTable.Col>
        <DataTable.Col source="status" disableSort>
          <StatusField source="status" />
        </DataTable.Col>
        <DataTable.Col source="created_at" label="Signed up" disableSort>
          <DateTimeField source="created_at" />
        </DataTable.Col>
      </DataTable>
    </List>
  )
}
