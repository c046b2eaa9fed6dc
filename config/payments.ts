import env from '#start/env'

/** The money rules an operator sets, read once at boot. */
const paymentsConfig = {
  /** Currencies wallets may hold (ISO 4217). */
  supportedCurrencies: new Set(
    env
      .get('SUPPORTED_CURRENCIES', 'USD,EUR,GBP,JPY')
      .split(',')
      .map((code) => code.trim().toUpperCase())
  ),
  /** The largest amount one payment may move, in minor units. */
  transferAmountMax: env.get('TRANSFER_AMOUNT_MAX', 100_000_000),
  /** Sandbox deposits: on unless SANDBOX_DEPOSITS=false, and off in production unless it is true. */
  sandboxDeposits: env.get('SANDBOX_DEPOSITS') ?? env.get('NODE_ENV') !== 'production',
  /**
   * Sending money needs a verified email address: on unless
   * REQUIRE_VERIFIED_EMAIL=false (the test suite's default, where most
   * tests are not about it). Receiving never does.
   */
  /**
   * Payments above these amounts (minor units, per currency) need a second
   * factor proved in the last five minutes; 1,000.00 (or ¥150,000) by default.
   */
  stepUpThresholds: thresholds(env.get('STEP_UP_THRESHOLDS', 'JPY:150000'), 100_000),
  /**
   * Staff adjustments and reversals above these amounts (per currency) wait
   * for a second admin's approval; proposals wait STAFF_PROPOSAL_HOURS.
   */
  staffApprovalThresholds: thresholds(env.get('STAFF_APPROVAL_THRESHOLDS', 'JPY:150000'), 100_000),
  staffProposalHours: env.get('STAFF_PROPOSAL_HOURS', 24),
  /** Money sent to an address with no account waits this long for its claim. */
  claimDays: env.get('CLAIM_DAYS', 14),
  /** Payment requests: how long one waits for its payer, and how many a person may send a day. */
  paymentRequestDays: env.get('PAYMENT_REQUEST_DAYS', 30),
  paymentRequestsPerDay: env.get('PAYMENT_REQUESTS_PER_DAY', 20),
  requireVerifiedEmail: env.get('REQUIRE_VERIFIED_EMAIL') ?? env.get('NODE_ENV') !== 'test',
}

/** `USD:100000,JPY:150000` as a lookup with a default for the currencies it leaves out. */
function thresholds(text: string, fallback: number) {
  const set = new Map(
    text
      .split(',')
      .filter((pair) => pair.includes(':'))
      .map((pair) => {
        const [currency, amount] = pair.split(':').map((part) => part.trim())
        if (!/^\d+$/.test(amount))
          throw new Error(`STEP_UP_THRESHOLDS: ${pair} is not CURRENCY:minor units`)
        return [currency.toUpperCase(), Number(amount)] as const
      })
  )
  return { of: (currency: string) => set.get(currency) ?? fallback }
}

export default paymentsConfig
