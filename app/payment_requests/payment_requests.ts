import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import { v7 as uuidv7 } from 'uuid'
import paymentsConfig from '#config/payments'
import { ApiError } from '#exceptions/api_error'
import User from '#models/user'
import { refusedForCertain } from '#payments/payments'
import { PaymentService } from '#payments/payment_service'
import { clock } from '#platform/clock'
import { consumeLimit, isTooMany, secondsUntilAllowed } from '#platform/rate_limits'
import { pageByTime } from '#platform/time_pages'
import { WalletService } from '#wallets/wallet_service'

export type RequestStatus = 'pending' | 'paying' | 'paid' | 'declined' | 'cancelled' | 'expired'

export interface RequestRow {
  id: string
  payee_id: string
  payer_id: string
  amount: string | number
  currency: string
  note: string | null
  status: RequestStatus
  pay_key: string | null
  transfer_id: string | null
  expires_at: Date
  created_at: Date
  resolved_at: Date | null
}

const day_ms = 86_400_000

/** A pending request past its time is expired, whether or not a write said so yet. */
export function statusOf(row: RequestRow): RequestStatus {
  return row.status === 'pending' && new Date(row.expires_at).getTime() <= clock.now()
    ? 'expired'
    : row.status
}

/**
 * Payment requests: a payee asks, the payer pays (a normal transfer) or
 * declines, the payee may cancel, and a request expires. Paid at most once
 * under any concurrency: paying first claims the request in one row lock,
 * and every retry of that claim reuses its ledger idempotency key.
 */
@inject()
export class PaymentRequests {
  constructor(
    protected payments: PaymentService,
    protected wallets: WalletService
  ) {}

  async create(
    payee: User,
    input: {
      payer_email?: string
      payer_id?: string
      amount: number
      currency: string
      note?: string
    }
  ) {
    const payer = input.payer_id
      ? await User.find(input.payer_id)
      : await User.findBy('email', input.payer_email!)
    if (!payer) throw new ApiError('payer_not_found')
    if (payer.id === payee.id) throw new ApiError('self_request')
    this.wallets.requireSupported(input.currency)
    const fresh = await User.findOrFail(payee.id)
    if (fresh.status === 'frozen' || payer.status === 'frozen') throw new ApiError('account_frozen')
    await consumeLimit(
      'payment_requests',
      { requests: paymentsConfig.paymentRequestsPerDay, duration: '24 hours' },
      `payment-requests:${payee.id}`
    ).catch((error) => {
      if (!isTooMany(error)) throw error
      throw new ApiError(
        'rate_limited',
        `You can ask for money ${paymentsConfig.paymentRequestsPerDay} times a day`,
        { retryAfter: secondsUntilAllowed(error, 3600) }
      )
    })
    const now = clock.now()
    const row = {
      id: uuidv7(),
      payee_id: payee.id,
      payer_id: payer.id,
      amount: input.amount,
      currency: input.currency,
      note: input.note ?? null,
      status: 'pending',
      expires_at: new Date(now + paymentsConfig.paymentRequestDays * day_ms),
      created_at: new Date(now),
    }
    await db.table('payment_requests').insert(row)
    return this.find(payee.id, row.id)
  }

  /** One request the person is part of; anyone else's is not found. */
  async find(personId: string, id: string): Promise<RequestRow> {
    const row = await db
      .from('payment_requests')
      .where('id', id)
      .where((q) => q.where('payer_id', personId).orWhere('payee_id', personId))
      .first()
    if (!row) throw new ApiError('not_found', 'No such payment request')
    return row
  }

  async list(
    personId: string,
    filter: { role: 'payer' | 'payee'; status?: RequestStatus; limit: number; cursor?: string }
  ) {
    const query = db
      .from('payment_requests')
      .where(filter.role === 'payer' ? 'payer_id' : 'payee_id', personId)
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
    const now = new Date(clock.now())
    if (filter.status === 'expired') query.where('status', 'pending').where('expires_at', '<=', now)
    else if (filter.status === 'pending')
      query.whereIn('status', ['pending', 'paying']).where('expires_at', '>', now)
    else if (filter.status) query.where('status', filter.status)
    const page = await pageByTime(query, filter.limit, filter.cursor)
    return { data: page.data as RequestRow[], next_cursor: page.next_cursor }
  }

  /**
   * Pays the request with a normal transfer from the payer to the payee.
   * The claim (pending → paying, with a new ledger key) is one locked
   * update; a request already paying is retried under its key, so two pays
   * at once, or a retry after a lost answer, make one payment.
   */
  async pay(payer: User, id: string) {
    const claim = await db.transaction(async (trx) => {
      const row: RequestRow | null = await trx
        .from('payment_requests')
        .where('id', id)
        .where((q) => q.where('payer_id', payer.id).orWhere('payee_id', payer.id))
        .forUpdate()
        .first()
      if (!row) throw new ApiError('not_found', 'No such payment request')
      if (row.payer_id !== payer.id)
        throw new ApiError('forbidden', 'Only the person asked can pay a request')
      const status = statusOf(row)
      if (status === 'paid' || status === 'paying') return row
      if (status !== 'pending') throw notPending(status)
      const payKey = uuidv7()
      await trx
        .from('payment_requests')
        .where('id', id)
        .update({ status: 'paying', pay_key: payKey })
      return { ...row, status: 'paying' as const, pay_key: payKey }
    })
    const payment = await this.payments
      .send(
        payer,
        {
          receiver_id: claim.payee_id,
          amount: Number(claim.amount),
          currency: claim.currency,
          description: claim.note ?? undefined,
        },
        claim.pay_key!
      )
      .catch(async (error) => {
        // Refused for good (funds, a freeze): the request waits again, for a new try.
        if (refusedForCertain(error))
          await db
            .from('payment_requests')
            .where({ id, pay_key: claim.pay_key, status: 'paying' })
            .update({ status: 'pending', pay_key: null })
        throw error
      })
    await db
      .from('payment_requests')
      .where({ id, pay_key: claim.pay_key })
      .whereIn('status', ['paying', 'paid'])
      .update({ status: 'paid', transfer_id: payment.body.id, resolved_at: new Date(clock.now()) })
    return { payment, request: await this.find(payer.id, id) }
  }

  /** The payer says no, or the payee takes the request back: only while it waits. */
  async close(person: User, id: string, as: 'declined' | 'cancelled') {
    await db.transaction(async (trx) => {
      const row: RequestRow | null = await trx
        .from('payment_requests')
        .where('id', id)
        .where((q) => q.where('payer_id', person.id).orWhere('payee_id', person.id))
        .forUpdate()
        .first()
      if (!row) throw new ApiError('not_found', 'No such payment request')
      const own = as === 'declined' ? row.payer_id : row.payee_id
      if (own !== person.id)
        throw new ApiError(
          'forbidden',
          as === 'declined' ? 'Only the person asked can decline' : 'Only the asker can cancel'
        )
      const status = statusOf(row)
      if (status === as) return
      if (status !== 'pending') throw notPending(status)
      await trx
        .from('payment_requests')
        .where('id', id)
        .update({ status: as, resolved_at: new Date(clock.now()) })
    })
    return this.find(person.id, id)
  }
}

function notPending(status: RequestStatus) {
  const words: Record<RequestStatus, string> = {
    pending: 'waits',
    paying: 'is being paid',
    paid: 'was paid',
    declined: 'was declined',
    cancelled: 'was cancelled',
    expired: 'expired',
  }
  return new ApiError('request_not_pending', `This request ${words[status]}`)
}
