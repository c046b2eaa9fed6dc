import { test } from '@japa/runner'
import { LedgerError } from '../../src/domain/errors.ts'
import { parseStrictJson } from '../../src/http/problem.ts'

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
      assert.equal(parsed.amount, text)
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
})
