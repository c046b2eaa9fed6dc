import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { ApiError } from '#exceptions/api_error'
import { idempotencyKeyHeader } from '#validators/idempotency_key'
import { isUuid } from '#validators/uuid'
import { TransferService } from '#services/transfer_service'
import { transferToJson, transfersToJson } from '#transformers/transfer_transformer'
import {
  createTransferValidator,
  depositValidator,
  listTransfersValidator,
} from '#validators/money_validators'

@inject()
export default class TransfersController {
  constructor(protected transfers: TransferService) {}

  async store({ request, response, auth, logger }: HttpContext) {
    const input = await request.validateUsing(createTransferValidator)
    const result = await this.transfers.send(
      auth.getUserOrFail(),
      input,
      idempotencyKeyHeader(request.header('idempotency-key'))
    )
    if (result.replayed) response.header('Idempotent-Replayed', 'true')
    // One line per payment (ids and amounts, never tokens), with request and trace ids.
    logger.info(
      { transfer_id: result.body.id, amount: result.body.amount, currency: result.body.currency },
      result.replayed ? 'transfer replayed' : 'transfer completed'
    )
    // Both people are at hand: no second lookup of their names.
    const json = transferToJson(
      {
        ...result.body,
        kind: 'p2p',
        sender_id: result.sender.id,
        receiver_id: result.receiver.id,
        created_at: new Date(result.body.created_at),
        reversed_by: null,
      },
      new Map(
        [result.sender, result.receiver].map((u) => [u.id, { id: u.id, full_name: u.fullName }])
      )
    )
    return response.status(result.status).send(json)
  }

  async index({ request, auth }: HttpContext) {
    const query = await listTransfersValidator.validate(request.qs())
    const page = await this.transfers.listForUser(
      auth.getUserOrFail(),
      query.direction ?? 'all',
      query.limit ?? 25,
      query.cursor
    )
    return { data: await transfersToJson(page.data), next_cursor: page.next_cursor }
  }

  async show({ params, auth }: HttpContext) {
    if (!isUuid(params.id)) throw new ApiError('not_found', 'No such transfer')
    const [json] = await transfersToJson([
      await this.transfers.findForUser(auth.getUserOrFail(), params.id),
    ])
    return json
  }

  async deposit({ request, response, auth }: HttpContext) {
    if (!sandboxDepositsEnabled()) throw new ApiError('sandbox_disabled')
    const input = await request.validateUsing(depositValidator)
    const result = await this.transfers.deposit(
      auth.getUserOrFail(),
      input.amount,
      input.currency ?? 'USD',
      idempotencyKeyHeader(request.header('idempotency-key'))
    )
    if (result.replayed) response.header('Idempotent-Replayed', 'true')
    const [json] = await transfersToJson([
      {
        id: result.body.id,
        kind: 'deposit',
        sender_id: null,
        receiver_id: auth.getUserOrFail().id,
        amount: result.body.amount,
        currency: result.body.currency,
        description: result.body.description,
        created_at: new Date(result.body.created_at),
        reversed_by: null,
      },
    ])
    return response.status(result.status).send(json)
  }
}

/**
 * Sandbox money: on unless SANDBOX_DEPOSITS=false, and off in production
 * unless SANDBOX_DEPOSITS=true. Read per request so a change of the
 * environment (and a test) takes effect at once.
 */
function sandboxDepositsEnabled(): boolean {
  const setting = process.env.SANDBOX_DEPOSITS
  if (setting === 'false') return false
  return process.env.NODE_ENV !== 'production' || setting === 'true'
}
