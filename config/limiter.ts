import env from '#start/env'
import { defineConfig, stores } from '@adonisjs/limiter'

/**
 * Redis when REDIS_URL is set (shared by every replica), memory otherwise.
 * Keys carry the environment: a development server and a test run sharing
 * one Redis do not spend each other's limits.
 */
const limiterConfig = defineConfig({
  default: env.get('REDIS_URL') ? 'redis' : 'memory',
  stores: {
    redis: stores.redis({
      connectionName: 'limiter',
      rejectIfRedisNotReady: false,
      keyPrefix: `purse:limits:${env.get('NODE_ENV')}`,
    }),
    memory: stores.memory({}),
  },
})

export default limiterConfig

declare module '@adonisjs/limiter/types' {
  export interface LimitersList extends InferLimiters<typeof limiterConfig> {}
}
