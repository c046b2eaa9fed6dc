import { test } from '@japa/runner'
import { configFromEnv } from '../../src/config.ts'

const database_url = 'postgres://postgres@127.0.0.1:5432/postgres'

test.group('Configuration', () => {
  test('starts with a database URL and a long, chosen service token', ({ assert }) => {
    const config = configFromEnv({
      DATABASE_URL: database_url,
      LEDGER_API_TOKENS: 'a-service-token-of-32-characters-0, b-service-token-of-32-characters-0',
    })
    assert.deepEqual(config.apiTokens, [
      'a-service-token-of-32-characters-0',
      'b-service-token-of-32-characters-0',
    ])
  })

  test('refuses a short token or the placeholder of deploy/env.example, saying which', ({
    assert,
  }) => {
    assert.throws(
      () => configFromEnv({ DATABASE_URL: database_url, LEDGER_API_TOKEN: 'short' }),
      /at least 32 characters/
    )
    assert.throws(
      () =>
        configFromEnv({
          DATABASE_URL: database_url,
          LEDGER_API_TOKEN: 'change-me-32-random-characters-at-least',
        }),
      /still the placeholder from deploy\/env.example/
    )
    assert.throws(() => configFromEnv({ DATABASE_URL: database_url }), /must be set/)
  })
})
