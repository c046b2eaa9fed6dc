/**
 * ISO 4217 currencies and their exponents (minor-unit digits), taken from the
 * ICU data that ships with Node.js so no table is kept by hand.
 */
const known = new Set(Intl.supportedValuesOf('currency'))
const exponents = new Map<string, number>()

export function isKnownCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && known.has(code)
}

export function currencyExponent(code: string): number {
  let exponent = exponents.get(code)
  if (exponent === undefined) {
    exponent = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions()
      .maximumFractionDigits as number
    exponents.set(code, exponent)
  }
  return exponent
}
