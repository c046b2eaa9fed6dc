import { randomUUID } from 'node:crypto'
import { inject } from '@adonisjs/core'
import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import paymentsConfig from '#config/payments'
import { ApiError, type ApiErrorCode } from '#exceptions/api_error'
import type User from '#models/user'
import { Payments, type SendMoney } from '#payments/payments'
import { transfersTotal } from '#platform/api_metrics'

/** Business refusals support wants to see; retryable failures (503, 409) are not refusals. */
const refusals_kept = new Set<ApiErrorCode>([
  'insufficient_funds',
  'account_frozen',
  'receiver_not_found',
  'self_transfer',
  'currency_not_supported',
  'wallet_not_found',
])

/**
 * The payment use cases as the API runs them: each outcome is counted
 * (purse_api_transfers_total), and a payment's business refusal is kept for
 * support (the console's dashboard counts them). Neither changes an answer.
 */
@inject()
export class PaymentService {
  constructor(protected payments: Payments) {}

  async send(sender: User, input: SendMoney, idempotencyKey?: string) {
    try {
      const payment = await this.payments.send(sender, input, idempotencyKey)
      if (!payment.replayed) countOutcome('p2p', input.currency, 'completed')
      return payment
    } catch (error) {
      if (error instanceof ApiError) {
        countOutcome('p2p', input.currency, error.code)
        if (refusals_kept.has(error.code)) await keepRefusal(sender, input, error.code)
      }
      throw error
    }
  }

  async refund(
    refunder: User,
    transferId: string,
    input: { amount?: number; reason?: string },
    idempotencyKey?: string
  ) {
    const refund = await this.payments.refund(refunder, transferId, input, idempotencyKey)
    if (!refund.replayed) countOutcome('refund', refund.body.currency, 'completed')
    return refund
  }

  /** Refused before anything else is read: a server without sandbox money has no such route. */
  requireSandbox() {
    if (!paymentsConfig.sandboxDeposits) throw new ApiError('sandbox_disabled')
  }

  async deposit(user: User, amount: number, currency: string, idempotencyKey?: string) {
    this.requireSandbox()
    const payment = await this.payments.deposit(user, amount, currency, idempotencyKey)
    if (!payment.replayed) countOutcome('deposit', currency, 'completed')
    return payment
  }
}

function countOutcome(kind: 'p2p' | 'deposit' | 'refund', currency: string, outcome: string) {
  // Currencies come from callers: unknown ones share one label, so a metric cannot be flooded.
  const label = paymentsConfig.supportedCurrencies.has(currency) ? currency : 'other'
  transfersTotal.inc({ kind, currency: label, outcome })
}

/** Kept for support; failing to keep it must not change the person's answer. */
async function keepRefusal(sender: User, input: SendMoney, code: ApiErrorCode) {
  await db
    .table('refused_transfers')
    .insert({
      id: randomUUID(),
      sender_id: sender.id,
      code,
      amount: input.amount,
      currency: input.currency,
      created_at: new Date(),
    })
    .catch((failure: Error) =>
      logger.warn({ err: { message: failure.message } }, 'refusal not recorded')
    )
}
