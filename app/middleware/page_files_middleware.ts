import { access } from 'node:fs/promises'
import { inject } from '@adonisjs/core'
import app from '@adonisjs/core/services/app'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import StaticMiddleware from '@adonisjs/static/static_middleware'

/** The console's build (public/admin) and the web wallet's (public/app); nothing else there is served. */
const page_paths = /^\/(admin|app)(\/|$)/
/**
 * The wallet routes in the browser (/app/transfers/…): a path with no file
 * is one of its screens, answered with its index.html. Its assets and the
 * API keep their 404s.
 */
const wallet_screen = /^\/app(\/(?!assets\/)[^.]*)?$/
const wallet_index = app.publicPath('app', 'index.html')

function walletBuilt(): Promise<boolean> {
  return access(wallet_index).then(
    () => true,
    () => false
  )
}

/**
 * Serves the pages' files, and only for their own paths: the static server
 * looks for a file on disk (a stat in the thread pool) for every GET it sees,
 * which API reads would otherwise pay for nothing.
 */
@inject()
export default class PageFilesMiddleware {
  constructor(protected files: StaticMiddleware) {}

  handle(ctx: HttpContext, next: NextFn) {
    const path = ctx.request.url()
    if (!page_paths.test(path)) return next()
    return this.files.handle(ctx, async () => {
      const screen = ['GET', 'HEAD'].includes(ctx.request.method()) && wallet_screen.test(path)
      // Without a build (npm run build -w wallet), the 404 of any unknown path.
      if (!screen || !(await walletBuilt())) return next()
      ctx.response.header('Cache-Control', 'no-cache')
      ctx.response.download(wallet_index, true)
    })
  }
}
