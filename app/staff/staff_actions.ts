import { randomUUID } from 'node:crypto'
import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { audit } from '#audit/audit_log'
import { eventRow } from '#events/event_catalogue'
import { writeEvents } from '#events/outbox'
import { apiKeys } from '#identity/api_keys'
import { emailVerification } from '#identity/email_verification'
import { sessions } from '#identity/sessions'
import { userToJson } from '#transformers/user_transformer'
import { webhookEndpoints } from '#webhooks/webhook_endpoints'
import { ApiError } from '#exceptions/api_error'
import type User from '#models/user'
import {
  ledger,
  LedgerRefusal,
  LedgerUnavailable,
  type LedgerTransfer,
} from '#ledger/ledger_gateway'
import { asApiError, insufficientFunds } from '#ledger/ledger_refusals'
import { FollowUp } from '#history/follow_up'
import { personOf, staffMovementMetadata, type StaffMovement } from '#history/movement_metadata'
import { recordStaffMovement } from '#history/staff_movements'
import { StaffQueries } from '#staff/staff_queries'
import { description_length_max } from '#validators/money_validators'
import { isUuid } from '#validators/uuid'

/**
 * Refusals of a reversal under the transfer's own key that may not hold the
 * next time: ledger-core keeps them under the key, so a fresh key asks again.
 */
const refusals_asked_again = new Set(['insufficient_funds', 'idempotency_key_reused'])

export interface Actor {
  user: User
  requestId?: string
}

/**
 * What support and admins change: freezes, reversals and adjustments. Every
 * change writes an audit row; where the change lives in the app's database,
 * in the same transaction.
 */
@inject()
export class StaffActions {
  constructor(protected queries: StaffQueries) {}

  /**
   * Freeze or unfreeze a person, in the order that fails closed: a freeze
   * marks and audits the app record first (the API stops their payments),
   * then freezes their ledger accounts; an unfreeze opens the ledger
   * accounts first, then marks and audits the app record. If ledger-core
   * fails half way, the person stays frozen in the app, and what took
   * effect is in the audit log; repeating the request completes it.
   *
   * A freeze and an unfreeze at once must not interleave: that left the app
   * and the ledger disagreeing (shown active, refused by the ledger). So the
   * ledger is changed under a lock on the person, a transaction's advisory
   * lock that a crash releases: an unfreeze marks the app record in that
   * transaction, and a freeze sets the ledger accounts to the app record as
   * it then stands, so the later change wins in both. One connection at a
   * time, whatever the pool's size.
   */
  async setFrozen(actor: Actor, id: string, frozen: boolean, reason: string) {
    const user = await this.queries.findUser(id)
    refuseOwn(actor, user.id)
    const gateway = await ledger()
    if (frozen) await db.transaction((trx) => markFrozen(trx, actor, user, true, reason))
    await db.transaction(async (lock) => {
      await lock.rawQuery('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [
        `user-status:${user.id}`,
      ])
      const status: User['status'] = frozen
        ? (await lock.from('users').where('id', user.id).select('status').first()).status
        : 'active'
      try {
        for (const account of await gateway.listAccounts(user.ownerRef)) {
          await gateway.setAccountStatus(account.id, status)
        }
      } catch (error) {
        throw asApiError(error)
      }
      if (!frozen) await markFrozen(lock, actor, user, false, reason)
    })
    return this.queries.userWithWallets(user.id)
  }

  /**
   * Reverse a transfer in full. The idempotency key is the transfer itself,
   * so two admins clicking at once, or a repeat after a 503, learn the one
   * outcome. ledger-core keeps a refusal under its key too: insufficient
   * funds (the receiver had spent the money) would be replayed for ever, even
   * once they have it again, and a later reason would be told the key was
   * reused. Either is asked again under a key of its own. A transfer is
   * still reversed once: ledger-core refuses to reverse more than was paid,
   * whatever the key. (A frozen account does not stop a reversal: that is
   * how support undoes fraud.)
   */
  async reverse(actor: Actor, id: string, reason: string) {
    const record = await this.queries.transferRecord(id)
    refuseOwn(actor, record.sender_id, record.receiver_id)
    if (record.kind === 'reversal')
      throw new ApiError('validation_failed', 'A reversal cannot be reversed')
    const movement = staffMovement(actor, 'reversal', record.receiver_id, record.sender_id, reason)
    const gateway = await ledger()
    const input = {
      description: staffDescription('Reversal', reason),
      metadata: staffMovementMetadata(movement),
    }
    let ledgerKey = `reversal:${id}`
    let result
    try {
      result = await gateway.reverseTransfer(id, input, ledgerKey).catch((error) => {
        if (!(error instanceof LedgerRefusal && refusals_asked_again.has(error.code))) throw error
        ledgerKey = `reversal:${id}:${randomUUID()}`
        return gateway.reverseTransfer(id, input, ledgerKey)
      })
    } catch (error) {
      throw await answerFor(error, { movement, ledgerKey })
    }
    await indexOrFollowUp(result.body, movement)
    return { ...result, movement }
  }

  /** Credit (positive) or debit (negative) a wallet against the system adjustments account. */
  async adjust(
    actor: Actor,
    walletId: string,
    amount: number,
    reason: string,
    idempotencyKey: string
  ) {
    if (!isUuid(walletId)) throw new ApiError('not_found', 'No such wallet')
    if (amount === 0) {
      throw new ApiError('validation_failed', 'An adjustment moves money', {
        errors: [{ field: 'amount', message: 'must not be 0' }],
      })
    }
    const gateway = await ledger()
    const ledgerKey = `adjustment:${walletId}:${idempotencyKey}`
    let movement: StaffMovement | undefined
    try {
      const wallet = await gateway.getAccount(walletId)
      const ownerId = wallet.owner_ref.startsWith('user:') ? wallet.owner_ref.slice(5) : null
      if (!ownerId) throw new ApiError('not_found', 'No such wallet')
      refuseOwn(actor, ownerId)
      const system = await gateway.ensureAccount({
        owner_ref: 'system:adjustments',
        currency: wallet.currency,
        kind: 'system',
        allow_negative: true,
      })
      const [debit, credit] = amount > 0 ? [system.id, wallet.id] : [wallet.id, system.id]
      movement = staffMovement(
        actor,
        'adjustment',
        amount > 0 ? null : ownerId,
        amount > 0 ? ownerId : null,
        reason
      )
      const result = await gateway.createTransfer(
        {
          debit_account_id: debit,
          credit_account_id: credit,
          amount: Math.abs(amount),
          currency: wallet.currency,
          description: staffDescription('Adjustment', reason),
          metadata: staffMovementMetadata(movement),
        },
        ledgerKey
      )
      await indexOrFollowUp(result.body, movement)
      return { ...result, movement, wallet: await gateway.getAccount(walletId) }
    } catch (error) {
      if (error instanceof LedgerRefusal && error.code === 'insufficient_funds')
        throw await insufficientFunds(
          error,
          { accountId: walletId, amount: Math.abs(amount) },
          { whose: 'the', movement: 'debit' }
        )
      throw await answerFor(error, { movement, ledgerKey, idempotencyKey })
    }
  }

  /** Revoke anyone's API key (a leaked one, say): audited with the key, in one transaction. */
  async revokeApiKey(actor: Actor, keyId: string, reason: string) {
    if (!isUuid(keyId)) throw new ApiError('not_found', 'No such API key')
    return apiKeys.revoke(keyId, {
      within: (trx, key) =>
        audit
          .record(
            {
              actorId: actor.user.id,
              action: 'api_key.revoke',
              targetType: 'api_key',
              targetId: key.id,
              reason,
              requestId: actor.requestId,
              details: { owner_id: key.user_id, prefix: key.prefix },
            },
            trx
          )
          .then(() => undefined),
    })
  }

  /** End every session of a person (a stolen password, say): audited with how many ended, in one transaction. */
  async endSessions(actor: Actor, userId: string, reason: string) {
    const user = await this.queries.findUser(userId)
    return db.transaction(async (trx) => {
      const ended = await sessions.endAll(user.id, undefined, trx)
      await audit.record(
        {
          actorId: actor.user.id,
          action: 'user.end_sessions',
          targetType: 'user',
          targetId: user.id,
          reason,
          requestId: actor.requestId,
          details: { sessions: ended.length },
        },
        trx
      )
      return { ended: ended.length }
    })
  }

  /** Mail a person a new verification link (the old ones stop working): audited. */
  async resendVerification(actor: Actor, userId: string, reason: string) {
    const user = await this.queries.findUser(userId)
    if (user.emailVerifiedAt) throw new ApiError('email_already_verified')
    await db.transaction(async (trx) => {
      await emailVerification.send(trx, user)
      await audit.record(
        {
          actorId: actor.user.id,
          action: 'user.resend_verification',
          targetType: 'user',
          targetId: user.id,
          reason,
          requestId: actor.requestId,
        },
        trx
      )
    })
  }

  /** Deliver an event to an endpoint once more; audited. */
  async resendWebhook(actor: Actor, endpointId: string, eventId: string, reason: string) {
    if (!isUuid(endpointId)) throw new ApiError('not_found', 'No such webhook endpoint')
    return db.transaction(async (trx) => {
      const resent = await webhookEndpoints.resend(endpointId, eventId, trx)
      await audit.record(
        {
          actorId: actor.user.id,
          action: 'webhook.resend',
          targetType: 'webhook_endpoint',
          targetId: endpointId,
          reason,
          requestId: actor.requestId,
          details: { event_id: eventId, delivery_id: resent.delivery.id },
        },
        trx
      )
      return resent
    })
  }
}

/** Mark a person frozen or active in the app, with its audit row and event, in the given transaction. */
async function markFrozen(
  trx: TransactionClientContract,
  actor: Actor,
  user: User,
  frozen: boolean,
  reason: string
) {
  const status = frozen ? 'frozen' : 'active'
  await trx.from('users').where('id', user.id).update({ status, updated_at: new Date() })
  const auditId = await audit.record(
    {
      actorId: actor.user.id,
      action: frozen ? 'user.freeze' : 'user.unfreeze',
      targetType: 'user',
      targetId: user.id,
      reason,
      requestId: actor.requestId,
    },
    trx
  )
  const person = userToJson(user)
  const type = frozen ? 'account.frozen' : 'account.unfrozen'
  await writeEvents([eventRow(type, user.id, auditId, { ...person, status })], trx)
}

/**
 * Separation of duties: staff never freeze, credit, debit or reverse for
 * themselves (the audit log would record it, but only after the money moved);
 * another member of staff does it.
 */
export function refuseOwn(actor: Actor, ...people: (string | null)[]) {
  if (people.includes(actor.user.id))
    throw new ApiError('forbidden', 'Staff may not act on their own account or payments')
}

/**
 * History and audit rows of a movement ledger-core made. The answer says it
 * was made even when they cannot be written (an error would invite a second
 * one); the person is noted, and the follow-up writes both from the ledger.
 */
async function indexOrFollowUp(t: LedgerTransfer, movement: StaffMovement) {
  await recordStaffMovement(t, movement).catch((error) =>
    FollowUp.noteUnwritten(personOf(movement), t, error, movement.request_id)
  )
}

function staffMovement(
  actor: Actor,
  kind: StaffMovement['kind'],
  senderId: string | null,
  receiverId: string | null,
  reason: string
): StaffMovement {
  return {
    kind,
    sender_id: senderId,
    receiver_id: receiverId,
    actor_id: actor.user.id,
    reason,
    request_id: actor.requestId,
  }
}

/**
 * A ledger failure as the API answers it. When a movement was asked for and
 * ledger-core may have made it, its person is noted for the follow-up, which
 * writes the history and audit rows from the ledger if it was made. An
 * adjustment's answer carries the key that learns the outcome; a reversal's
 * outcome is learned by asking for it again.
 */
async function answerFor(
  error: unknown,
  asked: { movement?: StaffMovement; ledgerKey: string; idempotencyKey?: string }
) {
  const { movement, ledgerKey, idempotencyKey } = asked
  if (error instanceof LedgerUnavailable && movement && error.sent)
    await FollowUp.note(personOf(movement), { ledgerKey, requestId: movement.request_id })
  return asApiError(error, idempotencyKey)
}

/**
 * What people see in their history for money staff moved: the reason,
 * labelled. A reason too long for a description is cut at a whole
 * character (never half of an emoji's surrogate pair, which neither
 * ledger-core nor PostgreSQL can store) and ends with an ellipsis.
 */
function staffDescription(label: string, reason: string): string {
  const text = `${label}: ${reason}`
  if (characterCount(text) <= description_length_max) return text
  let cut = ''
  let count = 0
  for (const { segment } of graphemes.segment(text)) {
    count += characterCount(segment)
    if (count > description_length_max - 1) break
    cut += segment
  }
  return `${cut}…`
}

/** Characters as the contract, ledger-core and PostgreSQL count them: code points. */
function characterCount(text: string): number {
  let count = 0
  for (const _ of text) count++
  return count
}
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' })
