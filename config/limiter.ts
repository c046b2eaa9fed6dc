import env from '#start/env'
import { defineConfig, stores } from '@adonisjs/limiter'

/** Redis when REDIS_URL is set (shared by every replica), memory otherwise. */
const limiterConfig = defineConfig({
  default: env.get('REDIS_URL') ? 'redis' : 'memory',
  stores: {
    redis: stores.redis({ connectionName: 'limiter', rejectIfRedisNotReady: false }),
    memory: stores.memory({}),
  },
})

export default limiterConfig

declare module '@adonisjs/limiter/types' {
  export interface LimitersList extends InferLimiters<typeof limiterConfig> {}
}
