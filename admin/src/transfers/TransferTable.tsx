import type { ReactElement } from 'react'
import { DataTable, TextField } from 'react-admin'
import { DateTimeField } from '../common/DateTime.tsx'
import { MoneyField } from '../common/Money.tsx'
import { StatusField } from '../common/StatusChip.tsx'

/** Long text (a 280-character description, a word without spaces) wraps in its column. */
const wrapped = { whiteSpace: 'normal', overflowWrap: 'anywhere', minWidth: 160, maxWidth: 360 }

/** Transfers as rows, newest first; a click opens one. Used by the list and by a user's page. */
export function TransferTable({
  empty,
  withDescription = false,
}: {
  empty: ReactElement
  withDescription?: boolean
}) {
  return (
    <DataTable rowClick="show" bulkActionButtons={false} empty={empty}>
      <DataTable.Col source="created_at" label="When" disableSort>
        <DateTimeField source="created_at" />
      </DataTable.Col>
      <DataTable.Col source="kind" disableSort />
      <DataTable.Col source="sender.full_name" label="From" disableSort>
        <TextField source="sender.full_name" emptyText="—" />
      </DataTable.Col>
      <DataTable.Col source="receiver.full_name" label="To" disableSort>
        <TextField source="receiver.full_name" emptyText="—" />
      </DataTable.Col>
      <DataTable.Col source="amount" align="right" disableSort>
        <MoneyField source="amount" />
      </DataTable.Col>
      <DataTable.Col source="status" disableSort>
        <StatusField source="status" />
      </DataTable.Col>
      {withDescription ? (
        <DataTable.Col source="description" disableSort cellSx={() => wrapped} />
      ) : null}
    </DataTable>
  )
}
