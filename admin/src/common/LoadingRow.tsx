import { Skeleton, TableCell, TableRow } from '@mui/material'

/** A table row that holds the place of rows still loading. */
export function LoadingRow({ columns }: { columns: number }) {
  return (
    <TableRow>
      <TableCell colSpan={columns}>
        <Skeleton />
      </TableCell>
    </TableRow>
  )
}
