/*
|--------------------------------------------------------------------------
| JavaScript entrypoint for ace commands
|--------------------------------------------------------------------------
|
| Node cannot run the TypeScript of bin/console.ts by itself for every
| import AdonisJS makes, so the ts-exec hook is registered first.
|
*/
import '@poppinss/ts-exec'

await import('./bin/console.js')
