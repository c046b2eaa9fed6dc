import { Chip } from '@mui/material'
import { useRecordContext } from 'react-admin'

const colours: Record<string, 'success' | 'error' | 'warning' | 'default' | 'info'> = {
  active: 'success',
  completed: 'success',
  frozen: 'error',
  closed: 'default',
  reversed: 'warning',
  pending: 'warning',
  approved: 'success',
  rejected: 'default',
  expired: 'default',
  admin: 'info',
  support: 'info',
  user: 'default',
}

export function StatusChip({ value }: { value: string }) {
  return <Chip size="small" label={value} color={colours[value] ?? 'default'} />
}

export function StatusField({ source }: { source: string; label?: string }) {
  const record = useRecordContext()
  return record?.[source] ? <StatusChip value={record[source]} /> : null
}
