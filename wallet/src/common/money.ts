import { decimalMark, formatAmount } from '@purse/sdk'

/** The reader's own locale: "$12.50" in en-US, "12,50 $US" in fr-FR. */
export const locale = globalThis.navigator?.language ?? 'en-US'

/** Minor units for people, in the currency's own decimals (the SDK's helper, never floats). */
export function money(minor: number | string, currency: string): string {
  return formatAmount(minor, currency, locale)
}

/** What a person may type as the decimal mark here, for hints ("12,50"). */
export const decimal_mark = decimalMark(locale)

/** "US dollar" for USD, in the reader's language. */
export function currencyName(code: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'currency' }).of(code) ?? code
  } catch {
    return code
  }
}

const day_time = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' })
const day = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' })

export function when(instant: string): string {
  return day_time.format(new Date(instant))
}

export function onDay(instant: string): string {
  return day.format(new Date(instant))
}
