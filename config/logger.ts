import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig, targets } from '@adonisjs/core/logger'

/** JSON logs (pino); tokens, passwords and cookies never reach them. */
const loggerConfig = defineConfig({
  default: 'app',
  loggers: {
    app: {
      enabled: true,
      name: 'purse-api',
      level: env.get('LOG_LEVEL'),
      redact: {
        paths: [
          'password',
          '*.password',
          'access_token',
          '*.access_token',
          'refresh_token',
          '*.refresh_token',
          'req.headers.authorization',
          'req.headers.cookie',
        ],
        censor: '[redacted]',
      },
      transport: {
        targets: targets()
          .pushIf(!app.inProduction && app.nodeEnvironment !== 'test', targets.pretty())
          .pushIf(
            app.inProduction || app.nodeEnvironment === 'test',
            targets.file({ destination: 1 })
          )
          .toArray(),
      },
    },
  },
})

export default loggerConfig

declare module '@adonisjs/core/types' {
  export interface LoggersList extends InferLoggers<typeof loggerConfig> {}
}
