import { currencyExponent } from '@purse/ledger-core'

/** 1250 USD → "12.50 USD"; integer arithmetic only, so no amount is ever rounded. */
export function moneyText(minor: number, currency: string): string {
  const exponent = currencyExponent(currency)
  const sign = minor < 0 ? '-' : ''
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0')
  const decimal =
    exponent === 0 ? digits : `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`
  return `${sign}${decimal} ${currency}`
}
