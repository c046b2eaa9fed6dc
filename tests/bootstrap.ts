import { assert } from '@japa/assert'
import { ApiClient, apiClient } from '@japa/api-client'
import { pluginAdonisJS } from '@japa/plugin-adonisjs'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import type { Config } from '@japa/runner/types'
import { ContractChecker } from '@purse/ledger-core/testing'
import { createServerWithRequestIds } from '#start/request_ids'

export const plugins: Config['plugins'] = [assert(), apiClient(), pluginAdonisJS(app)]

/**
 * The contract test: every response any functional test receives must be
 * one that openapi/public.yaml allows, status, content type and body.
 */
const checker = ContractChecker.load(new URL('../openapi/public.yaml', import.meta.url))
ApiClient.teardown(async (response) => {
  const { method, endpoint } = response.request.config
  // CORS preflights belong to the browser's protocol, not to the API's contract.
  if (method === 'OPTIONS') return
  const type = response.header('content-type') ?? null
  const body = type?.includes('json') ? response.body() : response.text()
  ;(await checker).check(method, endpoint.split('?')[0]!, response.status(), type, body)
})

export const runnerHooks: Required<Pick<Config, 'setup' | 'teardown'>> = {
  setup: [
    async () => {
      const rollback = await testUtils.db().migrate()
      // The API under test sends its mail like a web process, once its tables exist.
      const { mailWorker } = await import('#mail/mail_outbox')
      mailWorker.start()
      return async () => {
        await mailWorker.stop()
        // Last uses of API keys are written in batches: the last batch before its table goes.
        const { apiKeys } = await import('#identity/api_keys')
        await apiKeys.flushLastUsed()
        await rollback()
      }
    },
  ],
  teardown: [],
}

export const configureSuite: Config['configureSuite'] = (suite) => {
  if (suite.name === 'functional') {
    return suite.setup(() => testUtils.httpServer().start(createServerWithRequestIds))
  }
}
