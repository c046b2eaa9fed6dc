import { test } from '@japa/runner'
import { startAppProcess } from '#tests/support/stack'

/** The API's start-up output when it refuses to start; 'started' (and stopped again) otherwise. */
function startOrRefusal(env: Record<string, string>) {
  return startAppProcess({ DATABASE_URL: process.env.DATABASE_URL!, ...env })
    .then((app) => app.stop().then(() => 'started'))
    .catch((error: Error) => error.message)
}

test.group('Configuration', () => {
  test('the API refuses to start with a number out of its range, naming it', async ({ assert }) => {
    const refusals: [Record<string, string>, RegExp][] = [
      [
        { ACCESS_TOKEN_TTL_MINUTES: '120' },
        /ACCESS_TOKEN_TTL_MINUTES must be a whole number from 1 to 60/,
      ],
      [{ REFRESH_TOKEN_TTL_DAYS: '-1' }, /REFRESH_TOKEN_TTL_DAYS must be a whole number/],
      [{ RATE_LIMIT_IP_PER_MINUTE: '0' }, /RATE_LIMIT_IP_PER_MINUTE must be a whole number/],
      [{ DATABASE_POOL_MAX: '2.5' }, /DATABASE_POOL_MAX must be a whole number/],
      [{ OTEL_TRACES_SAMPLER_RATIO: '5' }, /OTEL_TRACES_SAMPLER_RATIO must be from 0 to 1/],
      [
        { STEP_UP_THRESHOLDS: 'USD:ten' },
        /STEP_UP_THRESHOLDS: USD:ten is not CURRENCY:minor units/,
      ],
    ]
    for (const [env, message] of refusals) assert.match(await startOrRefusal(env), message)
  })

  test('the API refuses to start with a guessable key or token, naming it', async ({ assert }) => {
    const refusals: [Record<string, string>, RegExp][] = [
      [{ JWT_SECRET: 'short-but-not-empty' }, /JWT_SECRET must be at least 32 characters/],
      [
        { JWT_SECRET: 'change-me-32-random-characters-at-least' },
        /JWT_SECRET is still the placeholder/,
      ],
      [{ JWT_PREVIOUS_SECRET: 'old-short-key' }, /JWT_PREVIOUS_SECRET must be at least 32/],
      [{ METRICS_TOKEN: 'change-me' }, /METRICS_TOKEN must be at least 32 characters/],
      [{ APP_KEY: 'sixteen-chars-ok' }, /APP_KEY must be at least 32 characters/],
    ]
    for (const [env, message] of refusals) assert.match(await startOrRefusal(env), message)
  })

  test('in production the API refuses to start without a mail server', async ({ assert }) => {
    const production = {
      NODE_ENV: 'production',
      APP_KEY: 'a-production-app-key-for-this-test-only-0',
      JWT_SECRET: 'a-production-jwt-secret-for-this-test-only',
    }
    // The test runner's own SMTP_URL (its catcher) is taken away.
    assert.match(
      await startOrRefusal({ ...production, SMTP_URL: '' }),
      /SMTP_URL is required in production/
    )
    assert.equal(await startOrRefusal({ ...production, SMTP_URL: 'smtp://127.0.0.1:9' }), 'started')
  })
})
