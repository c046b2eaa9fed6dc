/**
 * The payments module: money people move themselves, a payment to another
 * person (P2P) and a sandbox deposit. ledger-core decides and records; this
 * module resolves people to wallets, scopes idempotency keys to the payer,
 * and has each payment indexed in the history. payment_service.ts wraps
 * these use cases with what operations need (metrics, refusals kept for
 * support). It needs the ledger, the wallets and the history.
 */
import { randomUUID } from 'node:crypto'
import { inject } from '@adonisjs/core'
import paymentsConfig from '#config/payments'
import { ApiError } from '#exceptions/api_error'
import User from '#models/user'
import {
  ledger,
  LedgerRefusal,
  LedgerUnavailable,
  type LedgerGateway,
  type LedgerReplayable,
  type LedgerTransfer,
} from '#ledger/ledger_gateway'
import { asApiError, insufficientFunds } from '#ledger/ledger_refusals'
import { FollowUp } from '#history/follow_up'
import { PersonHistory, recordOfTransfer } from '#history/history_reads'
import type { Parties, Party, TransferRecord } from '#history/history_types'
import { history } from '#history/history_writer'
import { paymentMetadata, personOf } from '#history/movement_metadata'
import { findReceiver, type Receiver } from '#payments/receiver_lookup'
import { spendingLimits } from '#payments/spending_limits'
import { description_length_max } from '#validators/text_length'
import { moneyText } from '#platform/money_text'
import { WalletService } from '#wallets/wallet_service'

export type SendMoney = Receiver & {
  amount: number
  currency: string
  description?: string
}

/**
 * A payment's ledger answer (and whether it was the key's first answer
 * replayed), as the history records it, and its parties' names.
 */
export type Payment = Awaited<ReturnType<LedgerGateway['createTransfer']>> & {
  record: TransferRecord
  names: ReadonlyMap<string, Party>
}

@inject()
export class Payments {
  constructor(protected wallets: WalletService) {}

  async send(sender: User, input: SendMoney, idempotencyKey?: string) {
    if (paymentsConfig.requireVerifiedEmail && !sender.emailVerifiedAt) {
      // The guard's row may predate a verification a moment ago.
      sender = (await User.find(sender.id)) ?? sender
      if (!sender.emailVerifiedAt) throw new ApiError('email_unverified')
    }
    let receiver = await findReceiver(input)
    if (!receiver) throw new ApiError('receiver_not_found')
    if (receiver.id === sender.id) throw new ApiError('self_transfer')
    // Remembered rows may be a few seconds old: look again before refusing.
    if (receiver.status === 'frozen') receiver = (await findReceiver(input, true))!
    if (sender.status === 'frozen') sender = (await User.find(sender.id)) ?? sender
    const frozen = [sender, receiver].filter((person) => person.status === 'frozen')
    if (frozen.length > 0)
      await this.#refuseFrozenUnlessReplay(frozen, input.currency, idempotencyKey)

    // Decided before any wallet lookup, so the answer does not depend on which finishes first.
    this.wallets.requireSupported(input.currency)
    const [debit, credit] = await Promise.all([
      this.wallets.heldAccountId(sender.ownerRef, input.currency),
      this.wallets.accountId(receiver.ownerRef, input.currency),
    ])
    const parties = { kind: 'p2p', sender_id: sender.id, receiver_id: receiver.id } as const
    const key = idempotencyKey ?? randomUUID()
    // Counted against the sender's limits before the ledger moves anything.
    const paymentKey = `p2p:${sender.id}:${key}`
    const reserved = await spendingLimits.reserve(sender, input.amount, input.currency, paymentKey)
    try {
      const payment = await this.#move(
        {
          debit_account_id: debit,
          credit_account_id: credit,
          amount: input.amount,
          currency: input.currency,
          description: input.description,
          metadata: paymentMetadata(parties),
        },
        parties,
        namesOf(sender, receiver),
        key
      )
      return { ...payment, sender, receiver }
    } catch (error) {
      // Refused for certain: nothing moved, so nothing counts.
      if (reserved && refusedForCertain(error)) await spendingLimits.release(sender.id, paymentKey)
      throw error
    }
  }

  /** Sandbox money from the system funding account of the currency. */
  async deposit(user: User, amount: number, currency: string, idempotencyKey?: string) {
    const funding = await (
      await ledger()
    ).ensureAccount({ owner_ref: `system:funding`, currency, kind: 'system', allow_negative: true })
    const credit = await this.wallets.openUnlessFrozen(user, currency)
    const parties = { kind: 'deposit', sender_id: null, receiver_id: user.id } as const
    return this.#move(
      {
        debit_account_id: funding.id,
        credit_account_id: credit,
        amount,
        currency,
        description: 'Sandbox deposit',
        metadata: paymentMetadata(parties),
      },
      parties,
      namesOf(user),
      idempotencyKey
    )
  }

  /**
   * Someone in this payment is frozen, so no new payment may be made. But
   * a retry of one made before the freeze must get its first answer back:
   * a client that lost it would otherwise take a 403 to mean the payment
   * failed. ledger-core answers both rightly once each frozen person's
   * account is frozen there too, as a freeze leaves it: it replays a key it
   * holds and refuses any other. Without the caller's key (nothing to
   * replay), or while a freeze is half done, the API refuses by itself.
   */
  async #refuseFrozenUnlessReplay(frozen: User[], currency: string, idempotencyKey?: string) {
    if (idempotencyKey === undefined) throw new ApiError('account_frozen')
    const gateway = await ledger()
    for (const person of frozen) {
      const accounts = await gateway.listAccounts(person.ownerRef)
      const account = accounts.find((a) => a.currency === currency)
      if (!account || account.status === 'active') throw new ApiError('account_frozen')
    }
  }

  /**
   * Asks ledger-core to move money under the caller's idempotency key, scoped
   * to the kind of payment and the payer; without one, a fresh key is chosen.
   * When the outcome is not known, the key is sent back so the caller can
   * still learn it, and the payer is noted for the follow-up, which puts the
   * history row in place if the payment was made.
   */
  async #move(
    input: Parameters<LedgerGateway['createTransfer']>[0],
    parties: Parties,
    names: ReadonlyMap<string, Party>,
    idempotencyKey?: string
  ): Promise<Payment> {
    return this.#ask(
      (gateway, ledgerKey) => gateway.createTransfer(input, ledgerKey),
      { accountId: input.debit_account_id, amount: input.amount },
      parties,
      names,
      idempotencyKey
    )
  }

  /**
   * The receiver of a payment gives some or all of it back: a partial
   * reversal in ledger-core, which never lets refunds (and a staff reversal)
   * add up to more than was paid, whatever the concurrency. Only payments
   * between people are refunded, only by the person paid, and neither
   * person may be frozen.
   */
  async refund(
    refunder: User,
    transferId: string,
    input: { amount?: number; reason?: string },
    idempotencyKey?: string
  ) {
    const original = await this.#refundable(refunder, transferId)
    if (paymentsConfig.requireVerifiedEmail && !refunder.emailVerifiedAt) {
      refunder = (await User.find(refunder.id)) ?? refunder
      if (!refunder.emailVerifiedAt) throw new ApiError('email_unverified')
    }
    const payer = await User.findOrFail(original.sender_id)
    const fresh = await User.findOrFail(refunder.id)
    if (fresh.status === 'frozen' || payer.status === 'frozen') throw new ApiError('account_frozen')
    const parties = { kind: 'refund', sender_id: fresh.id, receiver_id: payer.id } as const
    // The same body on every retry (no amount: the rest, as ledger-core counts it then).
    const body = {
      ...(input.amount === undefined ? {} : { amount: input.amount }),
      // The payment's own words may fill the ledger's 280 characters: cut, never refused.
      description:
        input.reason ??
        [...`Refund: ${original.description ?? 'payment'}`]
          .slice(0, description_length_max)
          .join(''),
      metadata: paymentMetadata(parties),
    }
    const wallet = await this.wallets.heldAccountId(fresh.ownerRef, original.currency)
    const amount = input.amount ?? original.amount - original.refunded_amount
    return this.#ask(
      (gateway, ledgerKey) =>
        gateway.reverseTransfer(transferId, body, ledgerKey).catch(async (error) => {
          if (!(error instanceof LedgerRefusal)) throw error
          if (error.code === 'already_reversed')
            throw new ApiError('already_reversed', 'This payment was given back in full already')
          if (error.code !== 'amount_exceeds_pending') throw error
          const now = await new PersonHistory().find(fresh.id, transferId)
          const left = now.amount - now.refunded_amount
          throw new ApiError(
            'refund_exceeds_transfer',
            `Only ${moneyText(left, now.currency)} of this payment is left to refund`
          )
        }),
      { accountId: wallet, amount },
      parties,
      namesOf(fresh, payer),
      idempotencyKey
    )
  }

  /** A payment the person was paid, from their own history; anyone else's is not found. */
  async #refundable(person: User, transferId: string) {
    const original = await new PersonHistory().find(person.id, transferId)
    if (original.kind !== 'p2p')
      throw new ApiError('validation_failed', 'Only payments between people can be refunded')
    if (original.receiver_id !== person.id)
      throw new ApiError('forbidden', 'Only the person who was paid can refund a payment')
    return original as typeof original & { sender_id: string }
  }

  /**
   * Asks ledger-core to move money under the caller's idempotency key, scoped
   * to the kind of payment and the payer; without one, a fresh key is chosen.
   * When the outcome is not known, the key is sent back so the caller can
   * still learn it, and the payer is noted for the follow-up, which puts the
   * history row in place if the payment was made.
   */
  async #ask(
    make: (gateway: LedgerGateway, ledgerKey: string) => Promise<LedgerReplayable<LedgerTransfer>>,
    debit: { accountId: string; amount: number },
    parties: Parties,
    names: ReadonlyMap<string, Party>,
    idempotencyKey: string = randomUUID()
  ): Promise<Payment> {
    const payer = personOf(parties)
    let payment: LedgerReplayable<LedgerTransfer>
    try {
      payment = await make(await ledger(), `${parties.kind}:${payer}:${idempotencyKey}`)
    } catch (error) {
      if (error instanceof ApiError) throw error
      if (error instanceof LedgerUnavailable && error.sent) await FollowUp.note(payer)
      if (error instanceof LedgerRefusal && error.code === 'insufficient_funds')
        throw await insufficientFunds(error, debit, { whose: 'your', movement: 'payment' })
      throw asApiError(error, idempotencyKey)
    }
    const record = recordOfTransfer(payment.body, parties)
    await index(payment.body, record, names)
    return { ...payment, record, names }
  }
}

/** A refusal after which the payment was certainly not made (a 5xx or a key in use may hide one). */
export function refusedForCertain(error: unknown) {
  return error instanceof ApiError && error.status < 500 && error.code !== 'idempotency_key_in_use'
}

/** The public names of the people in a payment, from the rows at hand. */
function namesOf(...people: User[]): Map<string, Party> {
  return new Map(people.map((person) => [person.id, { id: person.id, full_name: person.fullName }]))
}

/**
 * Index a payment's transfer for its people's history, with its events,
 * batched with the payments made at the same moment. It never fails the payment: ledger-core
 * made it, so the answer must say so (an error would make a client without
 * a key pay again). A row that cannot be written is noted for the
 * follow-up, which writes it from the ledger once the database takes it.
 */
async function index(t: LedgerTransfer, record: TransferRecord, names: ReadonlyMap<string, Party>) {
  await history
    .write(record, names)
    .catch((error) => FollowUp.noteUnwritten(personOf(record), t, error))
}
