import { test } from '@japa/runner'
import { formatAmount, parseAmount } from '../src/index.ts'

test.group('Money helpers', () => {
  test('parse decimal text into minor units without floats', ({ assert }) => {
    assert.equal(parseAmount('10.05', 'USD'), 1005)
    assert.equal(parseAmount('0.1', 'USD'), 10)
    assert.equal(parseAmount('1000', 'JPY'), 1000)
    assert.equal(parseAmount('1.234', 'KWD'), 1234)
    assert.equal(parseAmount(' 7 ', 'EUR'), 700)
    // Currency codes in any case, as the API takes them.
    assert.equal(parseAmount('10.05', 'usd'), 1005)
  })

  test('refuse {$self}')
    .with([
      ['10.005', 'USD'],
      ['1.5', 'JPY'],
      ['1,000', 'USD'],
      ['-5', 'USD'],
      ['1e3', 'USD'],
      ['', 'USD'],
      ['99999999999999999999', 'USD'],
      ['5', 'XYZ'],
      ['5', 'US'],
      ['5', ''],
    ])
    .run(({ assert }, [text, currency]) => {
      assert.throws(() => parseAmount(text!, currency!), RangeError)
    })

  test('read a decimal comma where the locale writes one, and only there', ({ assert }) => {
    assert.equal(parseAmount('12,50', 'EUR', 'de-DE'), 1250)
    assert.equal(parseAmount('12.50', 'EUR', 'de-DE'), 1250)
    assert.equal(parseAmount('0,5', 'USD', 'fr-FR'), 50)
    assert.throws(() => parseAmount('12,50', 'USD', 'en-US'), RangeError)
    // A grouped thousand is never read as a decimal: it has too many digits after the mark.
    assert.throws(() => parseAmount('1.000,50', 'EUR', 'de-DE'), RangeError)
    assert.throws(() => parseAmount('1,000', 'EUR', 'de-DE'), RangeError)
  })

  test('format minor units in the currency', ({ assert }) => {
    assert.equal(formatAmount(1005, 'USD', 'en-US'), '$10.05')
    assert.equal(formatAmount(-5, 'USD', 'en-US'), '-$0.05')
    assert.equal(formatAmount(1000, 'JPY', 'en-US'), '¥1,000')
    assert.equal(formatAmount(9007199254740991, 'USD', 'en-US'), '$90,071,992,547,409.91')
    assert.throws(() => formatAmount(1.5, 'USD'))
    // Sums past 2^53 arrive as decimal strings and keep every digit.
    assert.equal(
      formatAmount('123456789012345678901', 'USD', 'en-US'),
      '$1,234,567,890,123,456,789.01'
    )
    assert.equal(formatAmount('-7', 'USD', 'en-US'), '-$0.07')
    assert.throws(() => formatAmount('1.5', 'USD'))
    assert.throws(() => formatAmount('', 'USD'))
  })
})
