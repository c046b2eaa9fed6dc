import { test } from '@japa/runner'
import { startAppProcess } from '#tests/support/stack'

test.group('Configuration', () => {
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
    for (const [env, message] of refusals) {
      const started = await startAppProcess({ DATABASE_URL: process.env.DATABASE_URL!, ...env })
        .then((app) => app.stop().then(() => 'started'))
        .catch((error: Error) => error.message)
      assert.match(started, message)
    }
  })
})
