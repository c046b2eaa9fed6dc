import { test } from '@japa/runner'
import { parse } from '#config/redis'

test.group('REDIS_URL', () => {
  test('rediss:// turns TLS on, and an ACL user name is kept with its password', ({ assert }) => {
    assert.deepEqual(parse('rediss://purse-app:s%40cret@cache.example.com:6380'), {
      host: 'cache.example.com',
      port: 6380,
      username: 'purse-app',
      password: 's@cret',
      tls: { servername: 'cache.example.com' },
    })
  })

  test('redis:// stays plain, with the default port', ({ assert }) => {
    assert.deepEqual(parse('redis://127.0.0.1'), {
      host: '127.0.0.1',
      port: 6379,
      username: undefined,
      password: undefined,
    })
  })
})
