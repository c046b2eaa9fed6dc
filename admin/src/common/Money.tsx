import { formatAmount } from '@purse/sdk'
import { useRecordContext } from 'react-admin'

/** An amount in minor units, formatted in its currency for the viewer's locale, exactly from its digits (see formatAmount). */
export function Money({ amount, currency }: { amount: number | string; currency: string }) {
  return (
    <span style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
      {formatAmount(amount, currency, navigator.language)}
    </span>
  )
}

/** A record's amount field, in the record's currency. */
export function MoneyField({
  source,
  currency = 'currency',
}: {
  source: string
  currency?: string
  label?: string
}) {
  const record = useRecordContext()
  if (!record || record[source] === undefined || record[source] === null) return null
  return <Money amount={record[source]} currency={record[currency]} />
}
