import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { ApiError } from '#exceptions/api_error'
import { transferView } from '#history/transfer_view'
import { PaymentRequests } from '#payment_requests/payment_requests'
import { requireStepUpForPayment } from '#payments/step_up_rule'
import {
  paymentRequestToJson,
  paymentRequestsToJson,
} from '#transformers/payment_request_transformer'
import {
  createPaymentRequestValidator,
  listPaymentRequestsValidator,
} from '#validators/payment_request_validators'
import { isUuid } from '#validators/uuid'

function requestId(id: string) {
  if (!isUuid(id)) throw new ApiError('not_found', 'No such payment request')
  return id
}

/** Asking people for money, and answering them. */
@inject()
export default class PaymentRequestsController {
  constructor(protected requests: PaymentRequests) {}

  async store({ request, response, auth }: HttpContext) {
    const input = await request.validateUsing(createPaymentRequestValidator)
    if (input.payer_email !== undefined && input.payer_id !== undefined)
      throw new ApiError('validation_failed', 'Name the payer once', {
        errors: [{ field: 'payer_id', message: 'Send payer_email or payer_id, not both' }],
      })
    const row = await this.requests.create(auth.getUserOrFail(), {
      ...input,
      currency: input.currency ?? 'USD',
    })
    return response.created(await paymentRequestToJson(row))
  }

  async index({ request, auth }: HttpContext) {
    const query = await listPaymentRequestsValidator.validate(request.qs())
    const page = await this.requests.list(auth.getUserOrFail().id, {
      ...query,
      limit: query.limit ?? 25,
    })
    return { data: await paymentRequestsToJson(page.data), next_cursor: page.next_cursor }
  }

  async show({ params, auth }: HttpContext) {
    return paymentRequestToJson(
      await this.requests.find(auth.getUserOrFail().id, requestId(params.id))
    )
  }

  /** 201 with the transfer the first time; the same transfer (200) for every pay after. */
  async pay({ params, auth, response }: HttpContext) {
    const id = requestId(params.id)
    const user = auth.getUserOrFail()
    const asked = await this.requests.find(user.id, id)
    await requireStepUpForPayment(auth, Number(asked.amount), asked.currency)
    const { payment, request } = await this.requests.pay(user, id)
    if (payment.replayed) response.header('Idempotent-Replayed', 'true')
    return response.status(payment.status).send({
      request: await paymentRequestToJson(request),
      transfer: transferView(payment.record, payment.names),
    })
  }

  async decline({ params, auth }: HttpContext) {
    return paymentRequestToJson(
      await this.requests.close(auth.getUserOrFail(), requestId(params.id), 'declined')
    )
  }

  async cancel({ params, auth }: HttpContext) {
    return paymentRequestToJson(
      await this.requests.close(auth.getUserOrFail(), requestId(params.id), 'cancelled')
    )
  }
}
