import env from '#start/env'

/** The rules a payment is checked against, per person and currency. */
export const limit_rules = [
  'per_payment',
  'daily',
  'monthly',
  'hourly_count',
  'new_account_daily',
] as const
export type LimitRule = (typeof limit_rules)[number]

/** Amounts in minor units; `hourly_count` is a number of payments. */
type Limits = Record<LimitRule, number>

/** 5,000.00 a payment, 10,000.00 a day, 50,000.00 in 30 days, 30 payments an hour, 1,000.00 a day in the first week. */
const two_decimals: Limits = {
  per_payment: 500_000,
  daily: 1_000_000,
  monthly: 5_000_000,
  hourly_count: 30,
  new_account_daily: 100_000,
}

/** About the same in yen (no minor unit). */
const yen: Limits = {
  per_payment: 750_000,
  daily: 1_500_000,
  monthly: 7_500_000,
  hourly_count: 30,
  new_account_daily: 150_000,
}

const limitsConfig = {
  /**
   * On unless PAYMENT_LIMITS=false (the test suite's default, where most
   * tests are not about limits; its limits tests turn them on).
   */
  enabled: env.get('PAYMENT_LIMITS') ?? env.get('NODE_ENV') !== 'test',
  /** How long an account counts as new. */
  newAccountDays: 7,
  defaults(currency: string): Limits {
    return currency === 'JPY' ? yen : two_decimals
  },
}

export default limitsConfig
