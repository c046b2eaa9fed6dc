import env from '#start/env'
import { defineConfig, drivers } from '@adonisjs/core/hash'

/**
 * scrypt at OWASP's minimum cost (N = 2^17, r = 8, p = 1): about 128 MiB and a
 * few hundred milliseconds per hash, measured in BENCHMARKS.md. Tests lower
 * the cost through SCRYPT_COST so they run in seconds.
 */
const cost = env.get('SCRYPT_COST', 131_072)

const hashConfig = defineConfig({
  default: 'scrypt',
  list: {
    scrypt: drivers.scrypt({
      cost,
      blockSize: 8,
      parallelization: 1,
      maxMemory: 128 * cost * 8 * 2,
    }),
  },
})

export default hashConfig

declare module '@adonisjs/core/types' {
  export interface HashersList extends InferHashers<typeof hashConfig> {}
}
