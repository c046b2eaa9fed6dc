import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { v7 as uuidv7 } from 'uuid'
import limitsConfig, { limit_rules, type LimitRule } from '#config/limits'
import paymentsConfig from '#config/payments'
import { ApiError } from '#exceptions/api_error'
import type User from '#models/user'
import { clock } from '#platform/clock'
import { WalletService } from '#wallets/wallet_service'
import { moneyText } from '#platform/money_text'

const hour_ms = 3_600_000
const day_ms = 24 * hour_ms
/** The rolling window each rule counts over; per_payment counts one payment. */
const window_ms: Record<LimitRule, number> = {
  per_payment: 0,
  hourly_count: hour_ms,
  daily: day_ms,
  new_account_daily: day_ms,
  monthly: 30 * day_ms,
}

type Client = TransactionClientContract | typeof db

export interface LimitState {
  currency: string
  rule: LimitRule
  limit: number
  used: number
  remaining: number
  /** When the oldest payment counted drops out of the window; null when none is counted. */
  resets_at: string | null
  /** Set for this person by staff, rather than the default. */
  overridden: boolean
}

/** The person's limits in a currency: the defaults, with staff's overrides on top. */
async function limitsOf(userId: string, currency: string, client: Client = db) {
  const limits = { ...limitsConfig.defaults(currency) }
  const overrides = await client.from('user_limits').where({ user_id: userId, currency })
  for (const row of overrides) limits[row.rule as LimitRule] = Number(row.value)
  return { limits, overridden: new Set(overrides.map((row) => row.rule as string)) }
}

/** What the person's reservations use of each window now. */
async function usageOf(userId: string, currency: string, client: Client = db) {
  const now = clock.now()
  const since = (ms: number) => new Date(now - ms)
  const row = await client
    .from('spend_reservations')
    .where({ user_id: userId, currency })
    .where('created_at', '>', since(window_ms.monthly))
    .select(
      db.raw('coalesce(sum(amount) FILTER (WHERE created_at > ?), 0) AS day', [since(day_ms)]),
      db.raw('coalesce(sum(amount), 0) AS month'),
      db.raw('count(*) FILTER (WHERE created_at > ?) AS hour', [since(hour_ms)]),
      db.raw('min(created_at) FILTER (WHERE created_at > ?) AS day_first', [since(day_ms)]),
      db.raw('min(created_at) AS month_first'),
      db.raw('min(created_at) FILTER (WHERE created_at > ?) AS hour_first', [since(hour_ms)])
    )
    .first()
  const resets = (first: Date | null, rule: LimitRule) =>
    first ? new Date(new Date(first).getTime() + window_ms[rule]).toISOString() : null
  return {
    daily: { used: Number(row.day), resets_at: resets(row.day_first, 'daily') },
    new_account_daily: { used: Number(row.day), resets_at: resets(row.day_first, 'daily') },
    monthly: { used: Number(row.month), resets_at: resets(row.month_first, 'monthly') },
    hourly_count: { used: Number(row.hour), resets_at: resets(row.hour_first, 'hourly_count') },
    per_payment: { used: 0, resets_at: null },
  }
}

function isNew(user: User) {
  return clock.now() - user.createdAt.toMillis() < limitsConfig.newAccountDays * day_ms
}

/** Every rule as a person sees it: the limit, what is used, what is left, when it frees up. */
async function statesOf(user: User, currency: string, client: Client = db): Promise<LimitState[]> {
  const [{ limits, overridden }, usage] = await Promise.all([
    limitsOf(user.id, currency, client),
    usageOf(user.id, currency, client),
  ])
  return limit_rules
    .filter((rule) => rule !== 'new_account_daily' || isNew(user))
    .map((rule) => ({
      currency,
      rule,
      limit: limits[rule],
      used: usage[rule].used,
      remaining: Math.max(0, limits[rule] - usage[rule].used),
      resets_at: usage[rule].resets_at,
      overridden: overridden.has(rule),
    }))
}

function refusal(state: LimitState, amount: number) {
  const money = (minor: number) => moneyText(minor, state.currency)
  const words: Record<LimitRule, string> = {
    per_payment: `One payment may move at most ${money(state.limit)}`,
    daily: `You can send ${money(state.limit)} in 24 hours; ${money(state.remaining)} is left`,
    new_account_daily: `New accounts can send ${money(state.limit)} in 24 hours in their first week; ${money(state.remaining)} is left`,
    monthly: `You can send ${money(state.limit)} in 30 days; ${money(state.remaining)} is left`,
    hourly_count: `You can make ${state.limit} payments an hour`,
  }
  return new ApiError('limit_exceeded', `${words[state.rule]} (this payment: ${money(amount)})`, {
    extensions: {
      rule: state.rule,
      limit: state.limit,
      remaining: state.remaining,
      resets_at: state.resets_at,
    },
  })
}

/**
 * Per-person payment limits, checked and counted in one step: the check
 * and the reservation run under a transaction-scoped advisory lock on the
 * person, so of parallel payments only those that fit together are
 * reserved. A reservation is keyed by the payment's ledger key (a retry of
 * the same payment counts once) and given back when the ledger refuses the
 * payment for certain; a payment whose outcome is unknown keeps it.
 */
export const spendingLimits = {
  /** Returns true when this call reserved (false: off, or the payment's retry, reserved before). */
  async reserve(user: User, amount: number, currency: string, paymentKey: string) {
    if (!limitsConfig.enabled) return false
    return db.transaction(async (trx) => {
      await trx.rawQuery('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [
        `limits:${user.id}`,
      ])
      const held = await trx
        .from('spend_reservations')
        .where({ user_id: user.id, payment_key: paymentKey })
        .first()
      if (held) return false
      for (const state of await statesOf(user, currency, trx)) {
        const needed = state.rule === 'hourly_count' ? 1 : amount
        const room = state.rule === 'per_payment' ? state.limit : state.remaining
        if (needed > room) throw refusal(state, amount)
      }
      await trx.table('spend_reservations').insert({
        id: uuidv7(),
        user_id: user.id,
        currency,
        amount,
        payment_key: paymentKey,
        created_at: new Date(clock.now()),
      })
      return true
    })
  },

  async release(userId: string, paymentKey: string) {
    await db.from('spend_reservations').where({ user_id: userId, payment_key: paymentKey }).delete()
  },

  /** The person's limits in each currency Purse holds, or in one. */
  async states(user: User, currency?: string) {
    // A currency Purse holds no wallet in has no limits to show or set.
    if (currency) new WalletService().requireSupported(currency)
    const currencies = currency ? [currency] : [...paymentsConfig.supportedCurrencies]
    return (await Promise.all(currencies.map((code) => statesOf(user, code)))).flat()
  },

  /** Staff set one of a person's limits (null: back to the default). */
  async set(
    trx: TransactionClientContract,
    input: {
      userId: string
      currency: string
      rule: LimitRule
      value: number | null
      setBy: string
    }
  ) {
    new WalletService().requireSupported(input.currency)
    const key = { user_id: input.userId, currency: input.currency, rule: input.rule }
    if (input.value === null) {
      await trx.from('user_limits').where(key).delete()
      return
    }
    await trx
      .table('user_limits')
      .insert({ ...key, value: input.value, set_by: input.setBy, updated_at: new Date() })
      .onConflict(['user_id', 'currency', 'rule'])
      .merge(['value', 'set_by', 'updated_at'])
  },
}
