import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import StaticMiddleware from '@adonisjs/static/static_middleware'

/** The console's build lives in public/admin; nothing else there is served. */
const console_path = /^\/admin(\/|$)/

/**
 * Serves the console's files, and only for its own paths: the static server
 * looks for a file on disk (a stat in the thread pool) for every GET it sees,
 * which API reads would otherwise pay for nothing.
 */
@inject()
export default class ConsoleFilesMiddleware {
  constructor(protected files: StaticMiddleware) {}

  handle(ctx: HttpContext, next: NextFn) {
    if (!console_path.test(ctx.request.url())) return next()
    return this.files.handle(ctx, next)
  }
}
