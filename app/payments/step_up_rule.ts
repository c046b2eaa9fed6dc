import type { HttpContext } from '@adonisjs/core/http'
import paymentsConfig from '#config/payments'
import { stepUps } from '#identity/second_factor'
import { moneyText } from '#platform/money_text'

/**
 * A payment above the currency's threshold needs a second factor proved in
 * this session in the last five minutes. Checked before anything is sent to
 * the ledger, so a refusal moves nothing and leaves the Idempotency-Key free
 * for the retry after the step-up. An API key's payments are the partner's
 * (made by a server, no person present): a key that can send money needs a
 * step-up when it is created instead.
 */
export async function requireStepUpForPayment(
  auth: HttpContext['auth'],
  amount: number,
  currency: string
) {
  const guard = auth.use('bearer')
  if (guard.apiKey) return
  const threshold = paymentsConfig.stepUpThresholds.of(currency)
  if (amount <= threshold) return
  await stepUps.require(
    auth.getUserOrFail(),
    guard.claims?.sid,
    `A payment above ${moneyText(threshold, currency)}`
  )
}
