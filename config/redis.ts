import env from '#start/env'
import { defineConfig } from '@adonisjs/redis'
import type { InferConnections } from '@adonisjs/redis/types'

/**
 * Two connections to one Redis: `main` for revocations and caches, `limiter`
 * on its own database, because the limiter's clear() flushes its database.
 */
const url = env.get('REDIS_URL') ?? 'redis://127.0.0.1:6379'
const connection = (db: number) => ({
  ...parse(url),
  db,
  keyPrefix: 'purse:',
  // Give up quickly so a Redis outage degrades requests instead of stalling them.
  maxRetriesPerRequest: 1,
  commandTimeout: 500,
  connectTimeout: 1000,
  retryStrategy: (times: number) => Math.min(times * 200, 2000),
  enableAutoPipelining: true,
})

/**
 * The parts of REDIS_URL a connection needs: `rediss://` means TLS, and a user
 * name (Redis 6 ACLs, as managed services issue) is kept with the password.
 */
export function parse(value: string) {
  const u = new URL(value)
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: decodeURIComponent(u.username) || undefined,
    password: decodeURIComponent(u.password) || undefined,
    ...(u.protocol === 'rediss:' ? { tls: { servername: u.hostname } } : {}),
  }
}

const redisConfig = defineConfig({
  connection: 'main',
  connections: {
    main: connection(0),
    limiter: connection(1),
  },
})

export default redisConfig

declare module '@adonisjs/redis/types' {
  export interface RedisConnections extends InferConnections<typeof redisConfig> {}
}
