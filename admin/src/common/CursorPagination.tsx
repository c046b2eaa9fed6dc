import { Pagination } from 'react-admin'

/** Prev/next paging: the API pages by cursor, so there are no page numbers to jump to. */
export function CursorPagination() {
  return <Pagination rowsPerPageOptions={[10, 25, 50, 100]} />
}
