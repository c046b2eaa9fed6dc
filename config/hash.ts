import { defineConfig, drivers } from '@adonisjs/core/hash'

/**
 * argon2id at OWASP's recommended minimum (19 MiB, 2 iterations, 1 lane):
 * about 37 ms per hash here, so a login stays well under half a second even
 * with several at once. scrypt at OWASP's minimum (N = 2^17) took 400 ms per
 * hash on this machine and pushed login p50 to 740 ms at 4 concurrent logins
 * (BENCHMARKS.md).
 */
const hashConfig = defineConfig({
  default: 'argon',
  list: {
    argon: drivers.argon2({
      version: 0x13,
      variant: 'id',
      iterations: 2,
      memory: 19_456,
      parallelism: 1,
      saltSize: 16,
      hashLength: 32,
    }),
  },
})

export default hashConfig

declare module '@adonisjs/core/types' {
  export interface HashersList extends InferHashers<typeof hashConfig> {}
}
