/**
 * Money in minor units (USD cents, JPY yen), never floats. Currencies and
 * their exponents come from the Intl data of the runtime (Node.js and every
 * current browser), as the server's do.
 */
const known_currencies = new Set(Intl.supportedValuesOf('currency'))

/** Digits after the decimal point: 2 for USD, 0 for JPY. Any case; unknown codes are refused. */
export function currencyExponent(currency: string): number {
  const code = currency.toUpperCase()
  if (!/^[A-Z]{3}$/.test(code) || !known_currencies.has(code))
    throw new RangeError(`"${currency}" is not an ISO 4217 currency code`)
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions()
      .maximumFractionDigits ?? 2
  )
}

/**
 * Parse a decimal string typed by a person into minor units: "10.05" USD is
 * 1005, "10.005" USD is refused (USD has two decimals), "1,000" is refused
 * (a thousands separator or a decimal comma?). Given a locale that writes a
 * decimal comma (de-DE, fr-FR), "12,50" is 1250 there; a point is read as
 * the decimal mark everywhere. The arithmetic is on digits, not floats.
 */
export function parseAmount(text: string, currency: string, locale?: string): number {
  const exponent = currencyExponent(currency)
  const comma = locale !== undefined && decimalMark(locale) === ','
  const match = (comma ? /^\s*(\d+)(?:[.,](\d*))?\s*$/ : /^\s*(\d+)(?:\.(\d*))?\s*$/).exec(text)
  if (!match) throw new RangeError(`"${text}" is not an amount`)
  const [, whole, fraction = ''] = match
  if (fraction.length > exponent) {
    throw new RangeError(
      `${currency} has ${exponent} decimal places; "${text}" has ${fraction.length}`
    )
  }
  const digits = `${whole}${fraction.padEnd(exponent, '0')}`.replace(/^0+(?=\d)/, '')
  const minor = Number(digits)
  if (!Number.isSafeInteger(minor)) throw new RangeError(`"${text}" is too large`)
  return minor
}

/** The character a locale writes between whole units and the fraction. */
export function decimalMark(locale: string): string {
  return (
    new Intl.NumberFormat(locale).formatToParts(1.5).find((part) => part.type === 'decimal')
      ?.value ?? '.'
  )
}

/**
 * Format minor units for people: formatAmount(1005, 'USD', 'en-US') is
 * "$10.05". Sums past 2^53 come as decimal strings ("12345678901234567890").
 */
export function formatAmount(minor: number | string, currency: string, locale?: string): string {
  const text = String(minor)
  if (typeof minor === 'number' ? !Number.isSafeInteger(minor) : !/^-?\d+$/.test(text))
    throw new RangeError(`${text} is not a whole number of minor units`)
  const exponent = currencyExponent(currency)
  const negative = text.startsWith('-')
  const digits = text.replace(/^-/, '').padStart(exponent + 1, '0')
  const decimal =
    exponent === 0 ? digits : `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency })
  // Intl formats decimal strings exactly; a Number would round past 2^53.
  return format.format(`${negative ? '-' : ''}${decimal}` as unknown as number)
}
