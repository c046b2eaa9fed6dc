import { Tooltip } from '@mui/material'
import { useRecordContext } from 'react-admin'

const local = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' })

/** A moment in the viewer's time zone; hovering shows it in UTC. */
export function DateTime({ value }: { value: string }) {
  const date = new Date(value)
  return (
    <Tooltip
      title={`${date
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, '')} UTC`}
    >
      <time dateTime={date.toISOString()} style={{ whiteSpace: 'nowrap' }}>
        {local.format(date)}
      </time>
    </Tooltip>
  )
}

export function DateTimeField({ source }: { source: string; label?: string }) {
  const record = useRecordContext()
  return record?.[source] ? <DateTime value={record[source]} /> : null
}
