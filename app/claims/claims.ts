import { inject } from '@adonisjs/core'
import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import paymentsConfig from '#config/payments'
import { ApiError } from '#exceptions/api_error'
import { FollowUp } from '#history/follow_up'
import { recordOfTransfer } from '#history/history_reads'
import { history } from '#history/history_writer'
import { paymentMetadata } from '#history/movement_metadata'
import { ledger, LedgerRefusal, LedgerUnavailable } from '#ledger/ledger_gateway'
import { asApiError, insufficientFunds } from '#ledger/ledger_refusals'
import { queueMail } from '#mail/mail_outbox'
import { mailMessages } from '#mail/mail_messages'
import User from '#models/user'
import { spendingLimits } from '#payments/spending_limits'
import { clock } from '#platform/clock'
import { moneyText } from '#platform/money_text'
import { WalletService } from '#wallets/wallet_service'

export type ClaimStatus = 'pending' | 'claiming' | 'claimed' | 'cancelled' | 'expired'

export interface ClaimRow {
  id: string
  sender_id: string
  email: string
  amount: string | number
  currency: string
  description: string | null
  status: ClaimStatus
  payment_key: string
  claimed_by: string | null
  transfer_id: string | null
  expires_at: Date
  created_at: Date
  resolved_at: Date | null
}

/** How long money waits for its claim before going back (CLAIM_DAYS; tests shorten it). */
export const claimsConfig = { timeoutMs: paymentsConfig.claimDays * 86_400_000 }

/** The account holding claimable money while it waits: a system account per currency. */
async function clearingAccount(currency: string) {
  return (await ledger()).ensureAccount({
    owner_ref: 'system:claims',
    currency,
    kind: 'system',
    allow_negative: false,
  })
}

/**
 * Money sent to someone not on Purse yet. It leaves the sender's available
 * balance as a pending ledger transfer to the claims account; the person
 * who registers that address and verifies it gets it (post, then a payment
 * from the claims account to their wallet); the sender may cancel it
 * (void) until then, and after CLAIM_DAYS it goes back by itself (the
 * ledger's timeout). Exactly one of the three wins, in ledger-core; this
 * module follows its answer and finishes what a crash left half done.
 */
@inject()
export class Claims {
  constructor(protected wallets: WalletService) {}

  async send(
    signedIn: User,
    input: { receiver_email: string; amount: number; currency: string; description?: string },
    idempotencyKey: string
  ) {
    const sender = await User.findOrFail(signedIn.id)
    if (paymentsConfig.requireVerifiedEmail && !sender.emailVerifiedAt)
      throw new ApiError('email_unverified')
    if (sender.status === 'frozen') throw new ApiError('account_frozen')
    this.wallets.requireSupported(input.currency)
    const ledgerKey = `claim:${sender.id}:${idempotencyKey}`
    const reserved = await spendingLimits.reserve(sender, input.amount, input.currency, ledgerKey)
    const [wallet, clearing] = await Promise.all([
      this.wallets.heldAccountId(sender.ownerRef, input.currency),
      clearingAccount(input.currency),
    ])
    let hold
    try {
      hold = await (
        await ledger()
      ).createTransfer(
        {
          debit_account_id: wallet,
          credit_account_id: clearing.id,
          amount: input.amount,
          currency: input.currency,
          pending: true,
          timeout_ms: claimsConfig.timeoutMs,
          description: input.description,
          metadata: { kind: 'claim', sender_id: sender.id },
        },
        ledgerKey
      )
    } catch (error) {
      const certain = error instanceof LedgerRefusal
      if (reserved && certain) await spendingLimits.release(sender.id, ledgerKey)
      if (certain && error.code === 'insufficient_funds')
        throw await insufficientFunds(
          error,
          { accountId: wallet, amount: input.amount },
          { whose: 'your', movement: 'payment' }
        )
      throw asApiError(error, error instanceof LedgerUnavailable ? idempotencyKey : undefined)
    }
    const t = hold.body
    await db.transaction(async (trx) => {
      const [inserted] = await trx
        .table('claims')
        .insert({
          id: t.id,
          sender_id: sender.id,
          email: input.receiver_email,
          amount: t.amount,
          currency: t.currency,
          description: t.description,
          status: 'pending',
          payment_key: ledgerKey,
          expires_at: new Date(t.expires_at!),
          created_at: new Date(t.created_at),
        })
        .onConflict('id')
        .ignore()
        .returning('id')
      // A retry of the same send: the mail went with the first.
      if (inserted)
        await queueMail(
          mailMessages.moneyWaiting(
            input.receiver_email,
            sender.fullName,
            moneyText(t.amount, t.currency),
            new Date(t.expires_at!)
          ),
          trx
        )
    })
    const row = await this.find(sender.id, t.id)
    // Someone may have registered and verified the address a moment ago.
    const owner = await User.findBy('email', input.receiver_email)
    if (owner?.emailVerifiedAt) await this.#complete(row, owner).catch(() => {})
    return { claim: await this.find(sender.id, t.id), replayed: hold.replayed }
  }

  async find(senderId: string, id: string): Promise<ClaimRow> {
    const row = await db.from('claims').where({ id, sender_id: senderId }).first()
    if (!row) throw new ApiError('not_found', 'No such claimable payment')
    return row
  }

  list(senderId: string, limit: number): Promise<ClaimRow[]> {
    return db
      .from('claims')
      .where('sender_id', senderId)
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit)
  }

  /** A person verified this address: what waits for it becomes theirs. */
  async claimFor(user: User) {
    if (!user.emailVerifiedAt) return
    const waiting: ClaimRow[] = await db
      .from('claims')
      .where('email', user.email)
      .whereIn('status', ['pending', 'claiming'])
    for (const row of waiting) await this.#complete(row, user)
  }

  /** The sender takes it back while it waits: the ledger's void decides against a claim. */
  async cancel(sender: User, id: string) {
    const row = await this.find(sender.id, id)
    if (row.status !== 'pending' && row.status !== 'claiming') throw notWaiting(row.status)
    try {
      await (await ledger()).voidTransfer(row.id, `claim-void:${row.id}`)
    } catch (error) {
      if (error instanceof LedgerRefusal && error.code === 'invalid_state') {
        await this.#settle(row)
        throw notWaiting((await this.find(sender.id, id)).status)
      }
      throw asApiError(error)
    }
    await this.#close(row, 'cancelled')
    return this.find(sender.id, id)
  }

  /**
   * Finishes what a crash or a lost answer left half done, and follows the
   * ledger's expiries: run every half minute by the web processes.
   */
  async sweep() {
    const rows: ClaimRow[] = await db
      .from('claims')
      .where('status', 'claiming')
      .orWhere((q) => q.where('status', 'pending').where('expires_at', '<=', new Date(clock.now())))
      .limit(100)
    for (const row of rows) {
      if (row.status === 'claiming' && row.claimed_by)
        await this.#complete(row, await User.findOrFail(row.claimed_by))
      else await this.#settle(row)
    }
    // Addresses verified while their money was being sent.
    const verified: (ClaimRow & { user_id: string })[] = await db
      .from('claims')
      .join('users', 'users.email', 'claims.email')
      .where('claims.status', 'pending')
      .whereNotNull('users.email_verified_at')
      .select('claims.*', 'users.id as user_id')
      .limit(100)
    for (const row of verified) await this.#complete(row, await User.findOrFail(row.user_id))
  }

  /**
   * Claim: mark it (one claimer), post the hold to the claims account, pay
   * the claimer from it. Each ledger step has its own key, so a repeat
   * after a crash replays what was done and does what was not.
   */
  async #complete(row: ClaimRow, user: User) {
    await db
      .from('claims')
      .where({ id: row.id, status: 'pending' })
      .update({ status: 'claiming', claimed_by: user.id })
    const current: ClaimRow = await db.from('claims').where('id', row.id).first()
    if (current.status !== 'claiming' || current.claimed_by !== user.id) return
    const gateway = await ledger()
    try {
      await gateway.postTransfer(row.id, `claim-post:${row.id}`)
    } catch (error) {
      // Cancelled or expired first: the ledger said so; this claim lost.
      if (error instanceof LedgerRefusal && error.code === 'invalid_state') return this.#settle(row)
      throw error
    }
    const parties = { kind: 'p2p', sender_id: row.sender_id, receiver_id: user.id } as const
    const [clearing, wallet] = await Promise.all([
      clearingAccount(row.currency),
      this.wallets.accountId(user.ownerRef, row.currency),
    ])
    const paid = await gateway.createTransfer(
      {
        debit_account_id: clearing.id,
        credit_account_id: wallet,
        amount: Number(row.amount),
        currency: row.currency,
        description: row.description ?? undefined,
        metadata: paymentMetadata(parties),
      },
      `claim-pay:${row.id}`
    )
    const sender = await User.findOrFail(row.sender_id)
    const names = new Map([
      [sender.id, { id: sender.id, full_name: sender.fullName }],
      [user.id, { id: user.id, full_name: user.fullName }],
    ])
    // Noted for the claimer: the follow-up finds this transfer among their accounts', not the sender's.
    await history
      .write(recordOfTransfer(paid.body, parties), names)
      .catch((error) => FollowUp.noteUnwritten(user.id, paid.body, error))
    await db
      .from('claims')
      .where({ id: row.id, status: 'claiming' })
      .update({ status: 'claimed', transfer_id: paid.body.id, resolved_at: new Date(clock.now()) })
  }

  /** The hold was voided or expired in the ledger: the row follows, the sender is told. */
  async #settle(row: ClaimRow) {
    const hold = await (await ledger()).getTransfer(row.id)
    if (hold.status === 'voided') await this.#close(row, 'cancelled')
    else if (hold.status === 'expired') await this.#close(row, 'expired')
  }

  async #close(row: ClaimRow, status: 'cancelled' | 'expired') {
    const updated = await db
      .from('claims')
      .where('id', row.id)
      .whereIn('status', ['pending', 'claiming'])
      .update({ status, resolved_at: new Date(clock.now()) })
    if (Number(updated) === 0) return
    // The money went back: it no longer counts against the sender's limits.
    await spendingLimits.release(row.sender_id, row.payment_key)
    if (status === 'expired') {
      const sender = await User.find(row.sender_id)
      if (sender)
        await queueMail(
          mailMessages.moneyReturned(
            sender.email,
            row.email,
            moneyText(Number(row.amount), row.currency)
          )
        ).catch((error: Error) =>
          logger.warn({ err: { message: error.message } }, 'mail not queued')
        )
    }
  }
}

function notWaiting(status: ClaimStatus) {
  return new ApiError(
    'claim_not_pending',
    status === 'claimed' ? 'It was claimed already' : `It was ${status} already`
  )
}
