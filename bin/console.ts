import 'reflect-metadata'
import { Ignitor, prettyPrintError } from '@adonisjs/core'
import { useRunningDevStack } from '../start/dev_stack.js'

// Beside `npm run dev`, commands work on its database and ledger.
useRunningDevStack()

/** Ace: the AdonisJS command line (`node ace …`, through `npm exec` for Node 24). */
const APP_ROOT = new URL('../', import.meta.url)
const IMPORTER = (filePath: string) => {
  if (filePath.startsWith('./') || filePath.startsWith('../')) {
    return import(new URL(filePath, APP_ROOT).href)
  }
  return import(filePath)
}

new Ignitor(APP_ROOT, { importer: IMPORTER })
  .tap((app) => {
    app.booting(async () => {
      await import('#start/env')
    })
    app.listen('SIGTERM', () => app.terminate())
    app.listenIf(app.managedByPm2, 'SIGINT', () => app.terminate())
  })
  .ace()
  .handle(process.argv.splice(2))
  .catch((error) => {
    process.exitCode = 1
    prettyPrintError(error)
  })
