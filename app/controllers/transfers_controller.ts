import { randomUUID } from 'node:crypto'
import { inject } from '@adonisjs/core'
import { Claims } from '#claims/claims'
import { findReceiver } from '#payments/receiver_lookup'
import { claimToJson } from '#transformers/claim_transformer'
import type { HttpContext } from '@adonisjs/core/http'
import { ApiError } from '#exceptions/api_error'
import { PersonHistory, recordOfTransfer } from '#history/history_reads'
import { PaymentService } from '#payments/payment_service'
import { requireStepUpForPayment } from '#payments/step_up_rule'
import { transferView } from '#history/transfer_view'
import { transferToJsonWithNames, transfersToJson } from '#transformers/transfer_transformer'
import { idempotencyKeyHeader } from '#validators/idempotency_key'
import {
  createTransferValidator,
  depositValidator,
  listTransfersValidator,
  paymentOf,
  refundValidator,
} from '#validators/money_validators'
import { isUuid } from '#validators/uuid'

@inject()
export default class TransfersController {
  constructor(
    protected payments: PaymentService,
    protected history: PersonHistory,
    protected claims: Claims
  ) {}

  async store({ request, response, auth, logger }: HttpContext) {
    const body = await request.validateUsing(createTransferValidator)
    const input = paymentOf(body)
    const key = idempotencyKeyHeader(request.header('idempotency-key'))
    await requireStepUpForPayment(auth, input.amount, input.currency)
    // Opted in, to an address with no account: the money waits for its owner (202).
    if (body.claimable && 'receiver_email' in input && !(await findReceiver(input, true))) {
      const sent = await this.claims.send(auth.getUserOrFail(), input, key ?? randomUUID())
      if (sent.replayed) response.header('Idempotent-Replayed', 'true')
      return response.accepted(claimToJson(sent.claim))
    }
    const payment = await this.payments.send(auth.getUserOrFail(), input, key)
    if (payment.replayed) response.header('Idempotent-Replayed', 'true')
    // One line per payment (ids and amounts, never tokens), with request and trace ids.
    logger.info(
      {
        transfer_id: payment.body.id,
        amount: payment.body.amount,
        currency: payment.body.currency,
      },
      payment.replayed ? 'transfer replayed' : 'transfer completed'
    )
    // Both people are at hand: no second lookup of their names.
    return response.status(payment.status).send(transferView(payment.record, payment.names))
  }

  /** The person paid gives some or all of a payment back; 201 with the refund's transfer. */
  async refund({ request, response, auth, params }: HttpContext) {
    if (!isUuid(params.id)) throw new ApiError('not_found', 'No such transfer')
    const input = await request.validateUsing(refundValidator)
    const key = idempotencyKeyHeader(request.header('idempotency-key'))
    const user = auth.getUserOrFail()
    const original = await this.history.find(user.id, params.id)
    await requireStepUpForPayment(
      auth,
      input.amount ?? original.amount - original.refunded_amount,
      original.currency
    )
    const refund = await this.payments.refund(user, params.id, input, key)
    if (refund.replayed) response.header('Idempotent-Replayed', 'true')
    return response.status(refund.status).send(transferView(refund.record, refund.names))
  }

  async index({ request, auth }: HttpContext) {
    const query = await listTransfersValidator.validate(request.qs())
    const page = await this.history.list(
      auth.getUserOrFail().id,
      query.direction ?? 'all',
      query.limit ?? 25,
      query.cursor
    )
    return { data: await transfersToJson(page.data), next_cursor: page.next_cursor }
  }

  async show({ params, auth }: HttpContext) {
    if (!isUuid(params.id)) throw new ApiError('not_found', 'No such transfer')
    return transferToJsonWithNames(await this.history.find(auth.getUserOrFail().id, params.id))
  }

  async deposit({ request, response, auth }: HttpContext) {
    this.payments.requireSandbox()
    const input = await request.validateUsing(depositValidator)
    const user = auth.getUserOrFail()
    const key = idempotencyKeyHeader(request.header('idempotency-key'))
    const currency = input.currency ?? 'USD'
    const payment = await this.payments.deposit(user, input.amount, currency, key)
    if (payment.replayed) response.header('Idempotent-Replayed', 'true')
    const record = recordOfTransfer(payment.body, {
      kind: 'deposit',
      sender_id: null,
      receiver_id: user.id,
    })
    return response.status(payment.status).send(await transferToJsonWithNames(record))
  }
}
