import { test } from '@japa/runner'
import fc from 'fast-check'
import { LedgerError } from '../../src/domain/errors.ts'
import { decodeJsonBody, parseStrictJson } from '../../src/http/problem.ts'

test.group('Strict JSON parsing', () => {
  test('keeps plain integers as numbers', ({ assert }) => {
    assert.deepEqual(parseStrictJson('{"amount": 1005, "n": -3, "z": 0}'), {
      amount: 1005,
      n: -3,
      z: 0,
    })
  })

  test('turns {$self} into text so the integer check refuses it')
    .with(['1e3', '1E3', '1.0', '10.05', '-0', '9007199254740993', '1e400'])
    .run(({ assert }, text) => {
      const parsed = parseStrictJson(`{"amount": ${text}}`) as { amount: unknown }
      assert.strictEqual(parsed.amount, text)
    })

  test('refuses the key {$self}')
    .with(['__proto__', 'constructor', 'prototype'])
    .run(({ assert }, key) => {
      assert.throws(() => parseStrictJson(`{"metadata": {"${key}": "x"}}`), LedgerError)
    })

  test('reports malformed JSON as invalid_json', ({ assert }) => {
    try {
      parseStrictJson('{"amount": ')
      assert.fail('expected an error')
    } catch (error) {
      assert.equal((error as LedgerError).code, 'invalid_json')
    }
  })

  test('reads every number literal as the integer it spells, or keeps its text', ({ assert }) => {
    // The integer rule trusts the source text JSON.parse hands the reviver:
    // check it against the literals actually written, across many parses.
    const literal = fc.oneof(
      fc.integer().map(String),
      fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }).map(String),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
      fc
        .tuple(fc.integer({ min: -99, max: 99 }), fc.integer({ min: -30, max: 30 }))
        .map(([mantissa, exponent]) => `${mantissa}e${exponent}`),
      fc.constantFrom('-0', '0.0', '1.0', '1E3', '-0.0e0')
    )
    fc.assert(
      fc.property(fc.array(literal, { minLength: 1, maxLength: 8 }), (literals) => {
        const parsed = parseStrictJson(
          `{"list": [${literals.join(', ')}], "one": {"amount": ${literals[0]}}}`
        ) as { list: unknown[]; one: { amount: unknown } }
        const expected = (text: string) =>
          /^-?(0|[1-9]\d*)$/.test(text) && Number.isSafeInteger(Number(text)) && text !== '-0'
            ? Number(text)
            : text
        assert.deepEqual(parsed.list, literals.map(expected))
        assert.deepEqual(parsed.one.amount, expected(literals[0]!))
      }),
      { numRuns: 2_000 }
    )
  })

  test('refuses a key written twice in one object: {$self}')
    .with([
      '{"amount": 1, "amount": 100000}',
      '{"to": {"id": "a", "id": "b"}}',
      '[{"a": 1}, {"b": 2, "b": 3}]',
      // The same key, spelled with an escape.
      '{"a": 1, "\\u0061": 2}',
    ])
    .run(({ assert }, text) => {
      assert.throws(() => parseStrictJson(text), /more than once/)
    })

  test('reads bodies nested 32 deep and refuses deeper ones before parsing', ({ assert }) => {
    const nested = (depth: number) => `${'{"a":'.repeat(depth - 1)}[]${'}'.repeat(depth - 1)}`
    assert.doesNotThrow(() => parseStrictJson(nested(32)))
    assert.throws(() => parseStrictJson(nested(33)), /deeper than 32 levels/)
    assert.throws(() => parseStrictJson('['.repeat(7_000) + ']'.repeat(7_000)), /deeper than 32/)
    // Brackets in strings are text.
    assert.deepEqual(parseStrictJson(`{"a": "${'['.repeat(40)}"}`), { a: '['.repeat(40) })
  })

  test('counts no colon or quote inside a string as a member', ({ assert }) => {
    assert.deepEqual(parseStrictJson('{"a:b": "c:\\":d", "e": [1, {"f": ":"}], "g": "\\\\"}'), {
      'a:b': 'c:":d',
      'e': [1, { f: ':' }],
      'g': '\\',
    })
  })

  test('reads every body exactly as written or refuses it, whatever keys came before', ({
    assert,
  }) => {
    // Keys that need escapes, backslashes included: the ones Node 24's
    // JSON.parse can misread once it has met a key with a backslash.
    const key = fc.stringMatching(/^[a-z:"\\ \n\u00e9]{1,5}$/)
    fc.assert(
      fc.property(objectsWith(key), (object) => {
        const text = JSON.stringify(object)
        let parsed: unknown
        try {
          parsed = parseStrictJson(text)
        } catch (error) {
          assert.instanceOf(error, LedgerError)
          return
        }
        assert.deepEqual(parsed, object)
      }),
      { numRuns: 2_000 }
    )
  })

  test('never reads a key as another after a key with a backslash', ({ assert }) => {
    assert.throws(() => parseStrictJson('{"h": [], "\\\\": 0}'), /backslash/)
    // JSON.parse alone (Node 24) now reads this quote key as a backslash.
    let read: unknown
    try {
      read = Object.keys(parseStrictJson('{"h": 1, "\\"": 2}') as object)
    } catch (error) {
      read = (error as Error).message
    }
    assert.oneOf(JSON.stringify(read), ['["h","\\""]', '"a key may not hold a backslash"'])
  })

  test('accepts any object without a repeated key, and refuses it with one', ({ assert }) => {
    const key = fc.stringMatching(/^[a-z: ]{1,6}$/)
    fc.assert(
      fc.property(objectsWith(key), fc.nat(), (object, at) => {
        const text = JSON.stringify(object)
        assert.equal(JSON.stringify(parseStrictJson(text)), text)
        // The same key once more, as the last member: JSON.parse alone would keep it silently.
        const keys = Object.keys(object)
        const repeated = JSON.stringify(keys[at % keys.length])
        assert.throws(
          () => parseStrictJson(`${text.slice(0, -1)},${repeated}:0}`),
          /more than once/
        )
      })
    )
  })
})

test.group('JSON body bytes', () => {
  test('reads UTF-8 as written, U+FFFD written as such included', ({ assert }) => {
    const text = '{"description":"café ₿ 🙂 \ufffd"}'
    assert.equal(decodeJsonBody(Buffer.from(text, 'utf8')), text)
  })

  test('skips one leading byte order mark, and only a leading one', ({ assert }) => {
    assert.equal(decodeJsonBody(Buffer.from('\ufeff{"a": 1}')), '{"a": 1}')
    assert.equal(decodeJsonBody(Buffer.from('{"a": "\ufeff"}')), '{"a": "\ufeff"}')
    assert.equal(decodeJsonBody(Buffer.from('\ufeff\ufeff{}')), '\ufeff{}')
  })

  test('refuses bytes that are not UTF-8: {kind}')
    .with([
      { kind: 'Latin-1 é', bytes: [0xe9] },
      { kind: 'a truncated sequence', bytes: [0xc3] },
      { kind: 'an overlong slash', bytes: [0xc0, 0xaf] },
      { kind: 'an encoded surrogate', bytes: [0xed, 0xa0, 0x80] },
      { kind: 'a code point past U+10FFFF', bytes: [0xf4, 0x90, 0x80, 0x80] },
      { kind: 'a lone continuation byte', bytes: [0x80] },
    ])
    .run(({ assert }, { bytes }) => {
      const body = Buffer.concat([
        Buffer.from('{"description":"caf'),
        Buffer.from(bytes),
        Buffer.from('"}'),
      ])
      assert.throws(() => decodeJsonBody(body), /not valid UTF-8/)
    })

  test('any bytes are either decoded to the text they encode or refused', ({ assert }) => {
    const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 24 }),
          fc.string({ unit: 'binary' }).map((text) => new TextEncoder().encode(text))
        ),
        (array) => {
          const bytes = Buffer.from(array)
          let expected: string | undefined
          try {
            expected = strict.decode(bytes)
          } catch {}
          if (expected === undefined) assert.throws(() => decodeJsonBody(bytes), LedgerError)
          else assert.equal(decodeJsonBody(bytes), expected.replace(/^\ufeff/, ''))
        }
      ),
      { numRuns: 2_000 }
    )
  })
})

/** JSON objects (at least one member) whose keys, at every depth, come from `key`. */
function objectsWith(key: fc.Arbitrary<string>) {
  const value = fc.letrec((tie) => ({
    any: fc.oneof(
      { depthSize: 'small' },
      fc.integer(),
      fc.string(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('any'), { maxLength: 4 }),
      fc.dictionary(key, tie('any'), { noNullPrototype: true, maxKeys: 6 })
    ),
  })).any
  return fc.dictionary(key, value, { minKeys: 1, noNullPrototype: true })
}
